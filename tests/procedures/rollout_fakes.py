"""A small stateful tenant for the rollout procedure tests: managed objects with child assets, a bulk
engine, operations, alarms, all on a fake clock, behind the spec-checking respx router.

    tenant = FakeTenant(router, clock, devices=20)       # devices "1001".."1020", type c8y_Linux
    tenant.failing = {"1003"}; tenant.alarming = {"1004"}; tenant.silent = {"1005"}
    ctx = control.create(client, planned, runner, clock)   # clock.sleep() runs the engine
    tenant.kill_after = 7      # the 7th change is applied, then this and every later request dies

The bulk engine resolves a group's child assets when a bulk operation starts and creates one child
operation every ``creationRamp`` seconds (a copy of the prototype with ``bulkOperationId``); a
child becomes EXECUTING, then SUCCESSFUL or FAILED, ``op_seconds`` apart. ``Killed`` (a
BaseException, like SIGKILL it is caught by nothing) simulates a runner that dies at any point.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl

import httpx
import respx

from c8ydm.api.conventions import format_timestamp, parse_timestamp

BASE_URL = "https://t100.example.com"
# Now (to the second): look-ups of lost answers start at this process's start (origin.RUN_STARTED).
T0 = datetime.now(timezone.utc).replace(microsecond=0)


class Killed(BaseException):
    """The runner died (kill -9): nothing catches it, no further request gets through."""


@dataclass
class FakeClock:
    """Wall-clock time that only moves when someone sleeps; sleeping runs the tenant's engine."""

    now_value: datetime = T0
    tenant: FakeTenant | None = None
    slept: list[float] = field(default_factory=list)

    def now(self) -> datetime:
        return self.now_value

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.now_value += timedelta(seconds=seconds)
        if self.tenant is not None:
            self.tenant.tick()


def device(device_id: str, **fragments: Any) -> dict[str, Any]:
    """A device as the inventory lists it (firmware support, type c8y_Linux, old firmware)."""
    return {
        "id": device_id,
        "name": f"dev-{device_id}",
        "type": "c8y_Linux",
        "c8y_IsDevice": {},
        "c8y_SupportedOperations": ["c8y_Firmware", "c8y_SoftwareUpdate"],
        "c8y_Firmware": {"name": "fw", "version": "1.0", "url": ""},
        **fragments,
    }


@dataclass
class FakeTenant:
    router: respx.MockRouter
    clock: FakeClock
    devices: int = 20
    op_seconds: float = 1.0
    failing: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)
    alarming: set[str] = field(default_factory=set)
    kill_after: int | None = None  # the n-th change is applied, then the runner dies
    lose_answers: list[str] = field(default_factory=list)  # "METHOD path-regex": applied, answer lost
    mos: dict[str, dict[str, Any]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    bulks: dict[str, dict[str, Any]] = field(default_factory=dict)
    ops: dict[str, dict[str, Any]] = field(default_factory=dict)
    alarms: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    changes: int = 0
    is_dead: bool = False
    next_id: int = 5000

    def __post_init__(self) -> None:
        self.clock.tenant = self
        for number in range(1, self.devices + 1):
            self.mos[str(1000 + number)] = device(str(1000 + number))
        self.router.route(host=httpx.URL(BASE_URL).host).mock(side_effect=self.handle)

    # -- the engine --------------------------------------------------------------------------------
    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def tick(self) -> None:
        now = self.clock.now()
        for bulk in self.bulks.values():
            self._create_children(bulk, now)
        for op in self.ops.values():
            self._advance(op, now)

    def _create_children(self, bulk: dict[str, Any], now: datetime) -> None:
        start = parse_timestamp(bulk["startDate"])
        if bulk["status"] in ("DELETED", "COMPLETED") or now < start:
            return
        if bulk["status"] == "ACTIVE":
            bulk["_targets"] = self._targets(bulk)
            bulk["progress"]["all"] = len(bulk["_targets"])
            bulk["status"] = "IN_PROGRESS"
        targets, ramp = bulk["_targets"], float(bulk["creationRamp"])
        while bulk["_created"] < len(targets) and start + timedelta(seconds=ramp * bulk["_created"]) <= now:
            created = start + timedelta(seconds=ramp * bulk["_created"])
            body = {**bulk["operationPrototype"], "deviceId": targets[bulk["_created"]]}
            self._new_op(body, created, bulk_id=bulk["id"])
            bulk["_created"] += 1
        if bulk["_created"] >= len(targets):
            bulk["status"] = "COMPLETED"

    def _targets(self, bulk: dict[str, Any]) -> list[str]:
        if bulk.get("failedParentId"):
            parent = str(bulk["failedParentId"])
            return [o["deviceId"] for o in self.ops.values() if str(o.get("bulkOperationId")) == parent
                    and o["status"] == "FAILED"]  # fmt: skip
        return [child for child in self.children.get(str(bulk["groupId"]), []) if child in self.mos]

    def _new_op(
        self, body: dict[str, Any], created: datetime, *, bulk_id: str | None = None
    ) -> dict[str, Any]:
        op = {**body, "id": self._id(), "status": "PENDING", "creationTime": format_timestamp(created)}
        if bulk_id is not None:
            op["bulkOperationId"] = int(bulk_id)
        self.ops[op["id"]] = op
        return op

    def _advance(self, op: dict[str, Any], now: datetime) -> None:
        device_id = op["deviceId"]
        if op["status"] not in ("PENDING", "EXECUTING") or device_id in self.silent:
            return
        age = (now - parse_timestamp(op["creationTime"])).total_seconds()
        if op["status"] == "PENDING" and age >= self.op_seconds:
            op["status"] = "EXECUTING"
        if op["status"] == "EXECUTING" and age >= 2 * self.op_seconds:
            if device_id in self.failing:
                op["status"], op["failureReason"] = "FAILED", "simulated failure"
                return
            op["status"] = "SUCCESSFUL"
            self.mos[device_id]["c8y_Firmware"] = op.get("c8y_Firmware") or {}
            if device_id in self.alarming:
                self.alarms.append({"id": self._id(), "type": "c8y_HealthCheckAlarm", "status": "ACTIVE",
                                    "severity": "MAJOR", "text": "unhealthy", "count": 1,
                                    "time": format_timestamp(now), "creationTime": format_timestamp(now),
                                    "source": {"id": device_id}})  # fmt: skip

    def bulk_progress(self, bulk: dict[str, Any]) -> dict[str, int]:
        progress = {
            "all": bulk["progress"]["all"],
            "pending": 0,
            "executing": 0,
            "successful": 0,
            "failed": 0,
        }
        for op in self.ops.values():
            if str(op.get("bulkOperationId")) == bulk["id"]:
                progress[op["status"].lower()] += 1
        return progress

    def operations_of(self, device_id: str) -> list[dict[str, Any]]:
        return [op for op in self.ops.values() if op["deviceId"] == device_id]

    def of_type(self, mo_type: str) -> list[dict[str, Any]]:
        return [mo for mo in self.mos.values() if mo.get("type") == mo_type]

    # -- HTTP --------------------------------------------------------------------------------------
    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.is_dead:
            raise Killed()
        params = dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))
        self.requests.append((request.method, request.url.path, params))
        body = json.loads(request.content) if request.content else None
        response = self._route(request.method, request.url.path, params, body)
        for rule in list(self.lose_answers):
            method, pattern = rule.split(" ", 1)
            if request.method == method and re.fullmatch(pattern, request.url.path):
                self.lose_answers.remove(rule)
                raise httpx.ReadTimeout("the answer was lost", request=request)
        if request.method != "GET":
            self.changes += 1
            if self.kill_after is not None and self.changes >= self.kill_after:
                self.is_dead = True
                raise Killed()
        return response

    def count(self, method: str, pattern: str) -> int:
        """How many requests matched ``METHOD`` and the path regex."""
        return sum(1 for m, path, _ in self.requests if m == method and re.fullmatch(pattern, path))

    def _route(self, method: str, path: str, params: dict[str, str], body: Any) -> httpx.Response:
        from rollout_fake_routes import route

        return route(self, method, path, params, body)
