"""Reading and writing the ``c8ydm_Rollout`` managed object (fragments described in ``state``).

Every write is a PUT of whole top-level fragments (contract §1.8): the progress, the control or the
lease, never the plan, so writers of different fragments never overwrite each other. A PUT answers
with the whole object, so every write also refreshes the control requests and the lease.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from c8ydm.api.client import Client
from c8ydm.api.conventions import format_timestamp
from c8ydm.api.errors import AmbiguousNameError, InputError, NotFoundError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.procedures.reconcile import create_once
from c8ydm.procedures.rollout.record import Control, Lease, Plan, Rollout
from c8ydm.procedures.rollout.state import (
    CONTROL_FRAGMENT,
    LEASE_FRAGMENT,
    PLAN_FRAGMENT,
    ROLLOUT_TYPE,
    STATE_FRAGMENT,
    RolloutState,
)

LIST_PAGE_SIZE = 100  # rollout objects carry their plan: smaller pages than the 2000 of §14(e)


def create_rollout(client: Client, name: str, plan: Plan, state: RolloutState, lease: Lease) -> Rollout:
    """Create the rollout with its plan, progress and this runner's lease in one request, exactly
    once (a lost answer is looked up by name and the plan's run id). POST /inventory/managedObjects
    """
    body = {
        "name": name,
        "type": ROLLOUT_TYPE,
        PLAN_FRAGMENT: plan.to_json(),
        STATE_FRAGMENT: state.to_json(),
        CONTROL_FRAGMENT: Control().to_json(),
        LEASE_FRAGMENT: lease.to_json(),
    }

    def lookup() -> ManagedObject | None:  # after a lost answer: the rollout of this very plan
        found = (r for r in find_rollouts(client, name=name) if r.plan.run_id == plan.run_id)
        rollout = next(found, None)
        return None if rollout is None else client.inventory.get(rollout.id, with_children=False)

    created = create_once(client, lambda: client.inventory.create(body), lookup, what="rollout")
    return Rollout(str(created.id), name, plan, state, Control(), lease, created.creation_time)


def load_rollout(client: Client, rollout_id: str) -> Rollout:
    """The rollout with that id; NotFoundError when it is none. GET /inventory/managedObjects/{id}"""
    mo = client.inventory.get(rollout_id, with_children=False)
    if mo.type != ROLLOUT_TYPE:
        raise NotFoundError(f"rollout {rollout_id} not found ({rollout_id} is not a rollout)")
    return Rollout.from_mo(mo)


def _refresh(client: Client, rollout: Rollout, answer: ManagedObject) -> None:
    if not client.dry_run:  # a dry run's answer is only the body it did not send
        rollout.refresh(answer)


def save_state(client: Client, rollout: Rollout, now: datetime) -> None:
    """Write the progress. PUT /inventory/managedObjects/{id} {"c8ydm_RolloutState": …}"""
    rollout.state.updated = format_timestamp(now)
    answer = client.inventory.update(rollout.id, {STATE_FRAGMENT: rollout.state.to_json()})
    _refresh(client, rollout, answer)


def save_control(client: Client, rollout: Rollout) -> None:
    """Write the control requests. PUT /inventory/managedObjects/{id} {"c8ydm_RolloutControl": …}"""
    answer = client.inventory.update(rollout.id, {CONTROL_FRAGMENT: rollout.control.to_json()})
    _refresh(client, rollout, answer)


def save_lease(client: Client, rollout: Rollout, lease: Lease | None) -> None:
    """Write (None: remove) the lease. PUT /inventory/managedObjects/{id} {"c8ydm_RolloutLease": …}"""
    answer = client.inventory.update(rollout.id, {LEASE_FRAGMENT: None if lease is None else lease.to_json()})
    rollout.lease = lease
    _refresh(client, rollout, answer)


def find_rollouts(client: Client, *, name: str | None = None, limit: int | None = None) -> Iterator[Rollout]:
    """Rollouts, newest first (exactly this name, when given).

    GET /inventory/managedObjects?query=$filter=((type eq 'c8ydm_Rollout') and (name eq '…'))
        $orderby=creationTime.date desc
    """
    scope = Q.eq("type", ROLLOUT_TYPE)
    if name is not None:
        scope = scope & Q.eq("name", name)
    query = build(filter=scope, orderby=[("creationTime.date", "desc")])
    for mo in client.inventory.list(query=query, page_size=LIST_PAGE_SIZE, limit=limit):
        if mo.type == ROLLOUT_TYPE and (name is None or mo.name == name):  # `*` cannot be escaped (§1.6.2)
            yield Rollout.from_mo(mo)


def resolve_rollout(client: Client, text: str) -> Rollout:
    """A rollout by id, or by name (the one that is not finished or cancelled, else the newest)."""
    value = text.strip()
    if not value:
        raise InputError("give a rollout id or name")
    if value.isdigit():
        try:
            return load_rollout(client, value)
        except NotFoundError:
            pass
    named = list(find_rollouts(client, name=value))
    active = [rollout for rollout in named if not rollout.is_terminal]
    if len(active) > 1:
        ids = [rollout.id for rollout in active]
        raise AmbiguousNameError(
            f"{len(active)} rollouts named {value!r} are running or paused (ids {', '.join(ids)})",
            ids=ids,
            hint="use the rollout's id",
        )
    if active or named:
        return (active or named)[0]
    raise NotFoundError(f"rollout {value!r} not found", hint="list rollouts with: c8ydm rollout list")
