"""Tabian retention package."""
