"""Helpers for tests that run real worker processes (see tests/notifications/test_resilience.py)."""
