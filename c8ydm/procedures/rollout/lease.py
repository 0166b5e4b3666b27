"""Who drives a rollout: a lease in the rollout object, so that two runners never drive it at once.

A runner takes the lease before it changes anything (PUT), waits a moment and reads it back: of two
runners that took it at the same time, only the one whose write came last still finds its own
token, and the other backs off (the inventory has no compare-and-set; the read-back closes the
window to the time between a read and a write). The lease covers the runner's next planned look
plus a margin, so a runner that sleeps until a bulk operation's estimated finish keeps it without
extra requests. A lease is free when it has expired, or when its holder ran on this machine and its
process is gone (a killed CI job resumed on the same runner does not wait for the expiry).
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from c8ydm.api.client import Client
from c8ydm.api.conventions import format_timestamp, parse_timestamp
from c8ydm.api.errors import ConflictError
from c8ydm.procedures.rollout.record import Lease, Rollout
from c8ydm.procedures.rollout.store import load_rollout, save_lease

LEASE_MIN_SECONDS = 300.0  # a lease always covers at least this long
LEASE_MARGIN_SECONDS = 120.0  # beyond the runner's next planned look
LEASE_CONFIRM_SECONDS = 0.3  # between taking the lease and reading it back


class RolloutBusyError(ConflictError):
    """Another runner holds the rollout's lease (exit 7)."""

    kind = "rollout_busy"


@dataclass(frozen=True)
class Runner:
    """This process as a lease holder."""

    token: str
    holder: str
    host: str
    pid: int

    @classmethod
    def this_process(cls) -> Runner:
        host = socket.gethostname()
        return cls(uuid.uuid4().hex, f"{host} pid {os.getpid()}", host, os.getpid())

    def lease(self, until: datetime) -> Lease:
        return Lease(self.token, self.holder, self.host, self.pid, format_timestamp(until))


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def is_live(lease: Lease | None, now: datetime, *, host: str) -> bool:
    """Whether a lease still binds: not expired, and not held by a process of this host that is gone."""
    if lease is None:
        return False
    try:
        if parse_timestamp(lease.expires) <= now:
            return False
    except ValueError:
        return False
    return not (lease.host == host and lease.pid > 0 and not _process_exists(lease.pid))


def busy_error(rollout: Rollout) -> RolloutBusyError:
    lease = rollout.lease
    holder = f"{lease.holder}, until {lease.expires}" if lease else "another runner"
    return RolloutBusyError(
        f"rollout {rollout.id} is being driven by {holder}",
        hint=f"watch it with: c8ydm rollout status {rollout.id} --watch",
    )


def lease_until(now: datetime, wake: datetime | None) -> datetime:
    """The expiry that covers the next planned look (``wake``) plus the margin."""
    base = max(now + timedelta(seconds=LEASE_MIN_SECONDS), wake or now)
    return base + timedelta(seconds=LEASE_MARGIN_SECONDS)


def acquire(
    client: Client, rollout: Rollout, runner: Runner, now: datetime, *, sleep: Callable[[float], None]
) -> None:
    """Take the lease (RolloutBusyError when another live runner has it) and confirm it by reading back.

    PUT /inventory/managedObjects/{id} {"c8ydm_RolloutLease": …}, GET /inventory/managedObjects/{id}
    """
    current = rollout.lease
    if current is not None and current.token != runner.token and is_live(current, now, host=runner.host):
        raise busy_error(rollout)
    save_lease(client, rollout, runner.lease(lease_until(now, None)))
    if client.dry_run:
        return
    sleep(LEASE_CONFIRM_SECONDS)
    fresh = load_rollout(client, rollout.id)
    rollout.refresh_from(fresh)
    if rollout.lease is None or rollout.lease.token != runner.token:
        raise busy_error(rollout)


def renew(client: Client, rollout: Rollout, runner: Runner, now: datetime, wake: datetime | None) -> None:
    """Extend the lease to cover ``wake``, when it does not already. PUT …/managedObjects/{id}"""
    lease = rollout.lease
    needed = wake + timedelta(seconds=LEASE_MARGIN_SECONDS / 2) if wake is not None else now
    if lease is not None and lease.token == runner.token and parse_timestamp(lease.expires) >= needed:
        return
    save_lease(client, rollout, runner.lease(lease_until(now, wake)))


def check_held(rollout: Rollout, runner: Runner) -> None:
    """RolloutBusyError when the last read shows another runner's lease (this one lost it)."""
    if rollout.lease is not None and rollout.lease.token != runner.token:
        raise busy_error(rollout)


def release(client: Client, rollout: Rollout, runner: Runner) -> None:
    """Give the lease up, if this runner still holds it. PUT …/managedObjects/{id} {"…Lease": null}"""
    if rollout.lease is not None and rollout.lease.token == runner.token:
        save_lease(client, rollout, None)
