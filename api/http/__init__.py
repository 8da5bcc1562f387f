"""The HTTP API (FastAPI) and the web interface behind `tabian serve`."""

from api.http.app import API_PREFIX, create_app

__all__ = ["API_PREFIX", "create_app"]
