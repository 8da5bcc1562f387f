"""The retention package's error: a request the rules refuse (the CLI answers exit 2)."""

from __future__ import annotations


class RetentionError(Exception):
    """A request that cannot be done as asked; the message says why and what to do instead."""
