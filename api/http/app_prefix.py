"""The API path prefix, apart so routers can import it without importing the app."""

API_PREFIX = "/api/v1"
