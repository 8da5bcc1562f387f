"""Tabian archive package."""
