"""Fixtures for every suite: ``oas_router`` / ``oas_base_url`` validate traffic against the official spec.

Skips are summed up by reason in one line each at the end of a run (``addopts`` in pyproject.toml
asks pytest for failures and errors only): without ``../shared`` the spec checks skip, and one line
says why instead of one per test.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from support.oas import oas_base_url, oas_router

__all__ = ["oas_base_url", "oas_router"]


def skip_reason(report: pytest.TestReport) -> str:
    """The reason a test was skipped, without pytest's "Skipped: " prefix."""
    longrepr: Any = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return str(reason).removeprefix("Skipped: ")


def skip_summary(reports: list[pytest.TestReport]) -> list[str]:
    """One line per distinct skip reason: ``126 skipped: <reason>``, the most frequent first."""
    counts = Counter(skip_reason(report) for report in reports)
    return [f"{count} skipped: {reason}" for reason, count in counts.most_common()]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    lines = skip_summary(terminalreporter.stats.get("skipped", []))
    if lines:
        terminalreporter.section("skips by reason", sep="-")
        for line in lines:
            terminalreporter.write_line(line)
