"""Tests of the ingest pipeline."""
