"""Extraction, staging, review and publishing: the one way documents become rows."""
