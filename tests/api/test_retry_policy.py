"""The retry policy object on its own: which requests, which statuses, how long (contract §14(d))."""

from __future__ import annotations

import email.utils

import pytest

from c8ydm.api.retry import (
    BASE_DELAY_SECONDS,
    MAX_ATTEMPTS,
    MAX_DELAY_SECONDS,
    MAX_TOTAL_WAIT_SECONDS,
    RetryPolicy,
    parse_retry_after,
)

NOW = 1_700_000_000.0


def policy(jitter: float = 1.0) -> RetryPolicy:
    return RetryPolicy(sleep=lambda _: None, random=lambda: jitter, clock=lambda: NOW)


def test_constants_carry_the_documented_values() -> None:
    assert (MAX_ATTEMPTS, BASE_DELAY_SECONDS, MAX_DELAY_SECONDS, MAX_TOTAL_WAIT_SECONDS) == (
        5,
        0.5,
        30.0,
        120.0,
    )


@pytest.mark.parametrize(
    ("method", "expected"), [("GET", True), ("put", True), ("DELETE", True), ("HEAD", True), ("POST", False)]
)
def test_only_idempotent_methods_are_retryable(method: str, expected: bool) -> None:
    assert policy().is_retryable_request(method) is expected


def test_idempotent_override_wins() -> None:
    assert policy().is_retryable_request("POST", idempotent=True) is True
    assert policy().is_retryable_request("GET", idempotent=False) is False


@pytest.mark.parametrize(
    ("status", "expected"), [(429, True), (502, True), (503, True), (504, True), (500, False), (404, False)]
)
def test_retryable_statuses(status: int, expected: bool) -> None:
    assert policy().is_retryable_status(status) is expected


def test_backoff_doubles_up_to_the_cap_with_full_jitter() -> None:
    assert [policy().backoff(n) for n in range(1, 9)] == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert policy(jitter=0.25).backoff(3) == 0.5
    assert policy(jitter=0.0).backoff(1) == 0.0


def test_next_delay_stops_after_max_attempts() -> None:
    assert policy().next_delay(MAX_ATTEMPTS - 1, waited=0.0) == 4.0
    assert policy().next_delay(MAX_ATTEMPTS, waited=0.0) is None


def test_next_delay_is_clipped_to_the_remaining_total_wait() -> None:
    assert policy().next_delay(4, waited=MAX_TOTAL_WAIT_SECONDS - 1.5) == 1.5
    assert policy().next_delay(2, waited=MAX_TOTAL_WAIT_SECONDS) is None


def test_retry_after_seconds_are_honoured_exactly() -> None:
    assert policy().next_delay(1, waited=0.0, retry_after="7") == 7.0


def test_retry_after_http_date_is_honoured() -> None:
    date = email.utils.formatdate(NOW + 12, usegmt=True)
    assert policy().next_delay(1, waited=0.0, retry_after=date) == pytest.approx(12.0)


def test_retry_after_beyond_the_budget_gives_up() -> None:
    assert policy().next_delay(1, waited=100.0, retry_after="60") is None


def test_unusable_retry_after_falls_back_to_backoff() -> None:
    assert policy().next_delay(2, waited=0.0, retry_after="soon") == 1.0
    assert parse_retry_after("", now=NOW) is None
    assert parse_retry_after("-5", now=NOW) == 0.0


def test_disabled_policy_never_retries() -> None:
    assert RetryPolicy.disabled().next_delay(1, waited=0.0) is None
