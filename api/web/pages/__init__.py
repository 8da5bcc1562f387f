"""Thai web pages, one module per area; each defines `router` (found by api.http.app)."""
