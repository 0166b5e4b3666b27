"""Fixtures for every suite: ``oas_router`` / ``oas_base_url`` validate traffic against the official spec."""

from support.oas import oas_base_url, oas_router

__all__ = ["oas_base_url", "oas_router"]
