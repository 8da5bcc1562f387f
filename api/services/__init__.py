"""Service logic shared by the JSON API routers and the HTML pages."""
