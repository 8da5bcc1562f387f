"""The web interface in Thai: server-rendered pages (Jinja2), templates and static files."""
