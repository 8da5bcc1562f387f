"""Tabian ingest package."""
