"""Interfaces: the tabian CLI (and later the HTTP API and web pages)."""
