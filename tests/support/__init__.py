"""Helpers shared by the test suites (OpenAPI validation of traffic)."""
