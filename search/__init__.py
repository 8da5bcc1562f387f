"""Tabian search package."""
