"""Hostile or broken input, across every command group: one ``Error:`` line, a documented exit code
(never 1), no traceback, no secret, and the tenant exactly as it was (issue 14).

The command lines run in-process through ``c8ydm.cli.main.main`` (the entry point minus the
interpreter start, which would make 100+ cases slow) against a sandbox of their own, so that the
tenant can be compared before and after each case: managed objects (with ``lastUpdated``),
operations, bulk operations and binaries.
"""

from __future__ import annotations

import io
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from support.entry_point import Run
from support.sandbox import SandboxInstance, running_sandbox

from c8ydm.cli.main import main

pytestmark = pytest.mark.e2e

DOCUMENTED = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 130}
SECRET = "Canary-Secret-42"  # put into URLs and variables: must never come out
LONG_NAME = "f" * 300 + ".bin"
NOT_UTF8_NAME = os.fsdecode(b"fw-\xff\xfe.bin")


@pytest.fixture(scope="module")
def bad_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInstance]:
    with running_sandbox(tmp_path_factory.mktemp("bad-input"), devices=5) as instance:
        yield instance


def connection(instance: SandboxInstance) -> dict[str, str]:
    return {
        "C8Y_HOST": instance.url,
        "C8Y_TENANT": instance.tenant,
        "C8Y_USER": instance.user,
        "C8Y_PASSWORD": instance.password,
    }


def invoke(capsys: pytest.CaptureFixture[str], args: list[str]) -> Run:
    sys.stdin = io.StringIO("")
    try:
        main(args)
    except SystemExit as done:
        code = int(done.code or 0) if not isinstance(done.code, str) else 1
    else:
        code = 0
    finally:
        sys.stdin = sys.__stdin__
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


@pytest.fixture(scope="module")
def world(bad_sandbox: SandboxInstance, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Objects the cases refer to: files, a firmware with a file, a typed firmware, a full-state
    software operation, a FAILED operation, a finished bulk operation. Made once, before any case."""
    root = tmp_path_factory.mktemp("inputs")
    (root / "fw.bin").write_bytes(b"firmware" * 100)
    (root / "empty.bin").write_bytes(b"")
    (root / "dir").mkdir()
    (root / "file-not-dir").write_text("x")
    (root / NOT_UTF8_NAME).write_bytes(b"firmware" * 100)
    os.mkfifo(root / "pipe")
    made = {"root": str(root), "fw": str(root / "fw.bin")}
    with httpx.Client(base_url=bad_sandbox.url, auth=bad_sandbox.auth, timeout=30) as api:
        made.update(_objects(bad_sandbox, api, root))
    return made


def _objects(instance: SandboxInstance, api: httpx.Client, root: Path) -> dict[str, str]:
    env = {**connection(instance), "C8YDM_CACHE_DIR": str(root / "cache")}
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        return _make_objects(api, root)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _run_ok(*args: str) -> Any:
    sys.stdin = io.StringIO("")
    out = io.StringIO()
    previous = sys.stdout
    sys.stdout = out
    try:
        main([*args, "-o", "json"])
    except SystemExit as done:
        assert done.code in (0, None), (args, out.getvalue())
    finally:
        sys.stdout, sys.stdin = previous, sys.__stdin__
    return json.loads(out.getvalue())


def _device_id(api: httpx.Client, name: str) -> str:
    found = api.get("/inventory/managedObjects", params={"query": f"$filter=(name eq '{name}')"}).json()
    return str(found["managedObjects"][0]["id"])


def _make_objects(api: httpx.Client, root: Path) -> dict[str, str]:
    _run_ok(
        "firmware", "add", "bad-fw", "--version", "1.0", "--file", str(root / "fw.bin"), "--description", "d"
    )
    _run_ok("firmware", "add", "bad-gw-fw", "--version", "1.0", "--url", "https://fw.example.com/gw",
            "--description", "gateways only", "--device-type", "c8y_Gateway")  # fmt: skip
    _run_ok("software", "add", "bad-sw", "--version", "1.0", "--url", "https://pkg.example.com/sw",
            "--description", "d", "--software-type", "apt")  # fmt: skip
    full = _run_ok("device", "install", "gateway-0002", "--software", "bad-sw@1.0", "--wait")
    failed = api.post(
        "/devicecontrol/operations",
        json={"deviceId": _device_id(api, "linux-0003"), "description": "fails",
              "c8y_Firmware": {"name": "bad-fw", "version": "1.0", "url": "https://x"}},
        headers={"Accept": "application/json"},
    ).json()  # fmt: skip
    for _ in range(100):  # the device refuses it at once: c8y_Firmware is not supported
        if api.get(f"/devicecontrol/operations/{failed['id']}").json()["status"] == "FAILED":
            break
        time.sleep(0.05)
    finished = _run_ok("bulk", "create", "--firmware", "bad-gw-fw@1.0", "--group", "Gateways",
                       "--ramp", "0.01", "--wait")  # fmt: skip
    return {
        "full_state_op": full["operations"][0]["id"],
        "failed_op": failed["id"],
        "finished_bulk": finished["id"],
    }


def tenant_state(instance: SandboxInstance) -> dict[str, Any]:
    """What a bad command line must not change."""
    with httpx.Client(base_url=instance.url, auth=instance.auth, timeout=30) as api:

        def listed(path: str, key: str, *fields: str, **params: Any) -> list[tuple[Any, ...]]:
            answer = api.get(path, params={"pageSize": 2000, **params}).json()
            return sorted(tuple(item.get(field) for field in ("id", *fields)) for item in answer[key])

        return {
            "managedObjects": listed("/inventory/managedObjects", "managedObjects", "lastUpdated"),
            "binaries": listed("/inventory/binaries", "managedObjects"),
            "operations": listed("/devicecontrol/operations", "operations"),
            "bulkOperations": listed(
                "/devicecontrol/bulkoperations", "bulkOperations", "status", withDeleted=True
            ),
        }


def _busy_port() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


# (case id, args, environment overrides (None removes), expected exit code). "{name}" is filled
# from the world fixture; NO_CON cases run without the sandbox connection, SESSIONS is written to
# the sessions file.
Case = tuple[str, list[str], dict[str, str | None], int]
NO_CON: dict[str, str | None] = dict.fromkeys(("C8Y_HOST", "C8Y_USER", "C8Y_PASSWORD", "C8Y_TENANT"))
FW_ADD = ["firmware", "add", "x", "--version", "1"]
SW_ADD = ["software", "add", "x", "--version", "1"]
BULK = ["bulk", "create"]
BULK_FW = [*BULK, "--firmware", "bad-fw", "--group", "Gateways"]
INSTALL = ["device", "install", "linux-0001"]
SANDBOX = ["sandbox", "start"]
AS_ALICE = ["--user", "a", "--password-stdin"]
FW_AGAIN = ["firmware", "add", "bad-fw", "--version", "1.0"]
FW_GET = ["firmware", "download", "bad-fw", "--version", "1.0"]
BULK_GW = [*BULK, "--firmware", "bad-gw-fw@1.0"]
URL = "https://x/fw"
SW_URL = "https://pkg.example.com/sw"
URL_SESSION = '{"current": "a", "sessions": {"a": {"url": 5}}}'
CASES: list[Case] = [
    # -- connection from the environment ------------------------------------------------------
    ("host-bad-port", ["device", "list"], {"C8Y_HOST": "http://127.0.0.1:abc"}, 2),
    ("host-open-bracket", ["device", "list"], {"C8Y_HOST": "http://[::1"}, 2),
    ("host-blank", ["device", "list"], {"C8Y_HOST": "   "}, 2),
    ("host-javascript", ["device", "list"], {"C8Y_HOST": "javascript:alert(1)"}, 2),
    ("host-userinfo", ["device", "list"], {"C8Y_HOST": f"http://admin:{SECRET}@127.0.0.1:1"}, 2),
    ("host-port-range", ["device", "list"], {"C8Y_HOST": "http://127.0.0.1:70000"}, 2),
    ("host-no-host", ["device", "list"], {"C8Y_HOST": "https://"}, 2),
    ("host-newline", ["device", "list"], {"C8Y_HOST": "http://127.0.0.1:1/\nx"}, 2),
    ("token-newline", ["device", "list"], {"C8Y_TOKEN": f"{SECRET}\nx", "C8Y_PASSWORD": None}, 2),
    ("token-non-ascii", ["device", "list"], {"C8Y_TOKEN": f"{SECRET}é", "C8Y_PASSWORD": None}, 2),
    ("password-newline", ["device", "list"], {"C8Y_PASSWORD": f"{SECRET}\r\n"}, 2),
    ("user-tab", ["device", "list"], {"C8Y_USER": "ad\tmin"}, 2),
    ("no-credentials", ["device", "list"], {"C8Y_PASSWORD": None, "C8Y_USER": None}, 3),
    ("wrong-password", ["device", "list"], {"C8Y_PASSWORD": SECRET}, 5),
    ("non-ascii-password", ["device", "list"], {"C8Y_PASSWORD": f"{SECRET}-pässwörd"}, 5),
    ("no-session", ["device", "list"], NO_CON, 3),
    ("sessions-not-json", ["device", "list"], {**NO_CON, "SESSIONS": "{not json"}, 2),
    ("sessions-a-list", ["device", "list"], {**NO_CON, "SESSIONS": "[]"}, 2),
    ("sessions-entry-string", ["session", "list"], {**NO_CON, "SESSIONS": '{"sessions": {"a": "x"}}'}, 2),
    ("sessions-current-number", ["session", "list"], {**NO_CON, "SESSIONS": '{"current": 5}'}, 2),
    ("sessions-url-number", ["device", "list"], {**NO_CON, "SESSIONS": URL_SESSION}, 2),
    ("sessions-not-utf8", ["session", "list"], {**NO_CON, "SESSIONS": "\udcff\udcfe"}, 2),
    ("config-dir-is-a-file", ["session", "list"], {**NO_CON, "C8YDM_CONFIG_DIR": "{root}/file-not-dir"}, 2),
    # -- login, logout, session ---------------------------------------------------------------
    ("login-empty-url", ["login", "", *AS_ALICE], NO_CON, 2),
    ("login-bad-port", ["login", "http://127.0.0.1:abc", *AS_ALICE], NO_CON, 2),
    ("login-bracket", ["login", "http://[::1", *AS_ALICE], NO_CON, 2),
    ("login-userinfo", ["login", f"http://a:{SECRET}@example.com", *AS_ALICE], NO_CON, 2),
    ("login-ftp", ["login", "ftp://example.com", *AS_ALICE], NO_CON, 2),
    ("login-both-stdin", ["login", "https://example.com", "--password-stdin", "--token-stdin"], NO_CON, 2),
    ("logout-unknown", ["logout", "--name", "nope"], NO_CON, 4),
    ("session-use-unknown", ["session", "use", "nope"], NO_CON, 4),
    ("session-show-unknown", ["session", "show", "nope"], NO_CON, 4),
    ("session-delete-unknown", ["session", "delete", "nope"], NO_CON, 4),
    ("session-bogus", ["session", "bogus"], NO_CON, 2),
    # -- firmware ---------------------------------------------------------------------------------
    ("fw-empty-version", ["firmware", "add", "x", "--version", "", "--url", "https://x/fw"], {}, 2),
    ("fw-blank-name", ["firmware", "add", "  ", "--version", "1", "--url", "https://x/fw"], {}, 2),
    ("fw-url-javascript", [*FW_ADD, "--url", "javascript:alert(1)"], {}, 2),
    ("fw-url-no-scheme", [*FW_ADD, "--url", "fw.bin"], {}, 2),
    ("fw-url-no-host", [*FW_ADD, "--url", "https://"], {}, 2),
    ("fw-url-space", [*FW_ADD, "--url", "http://a b/fw"], {}, 2),
    ("fw-url-newline", [*FW_ADD, "--url", "https://x/\nfw"], {}, 2),
    ("fw-url-file", [*FW_ADD, "--url", "file:///etc/passwd"], {}, 2),
    ("fw-url-bad-port", [*FW_ADD, "--url", "https://x:99999/fw"], {}, 2),
    ("fw-file-and-url", [*FW_ADD, "--url", "https://x/fw", "--file", "{fw}"], {}, 2),
    ("fw-no-source", ["firmware", "add", "x", "--version", "1"], {}, 2),
    ("fw-file-missing", [*FW_ADD, "--file", "{root}/missing.bin"], {}, 2),
    ("fw-file-dir", [*FW_ADD, "--file", "{root}/dir"], {}, 2),
    ("fw-file-empty", [*FW_ADD, "--file", "{root}/empty.bin"], {}, 2),
    ("fw-file-pipe", [*FW_ADD, "--file", "{root}/pipe"], {}, 2),
    ("fw-file-long-name", [*FW_ADD, "--file", "{root}/" + LONG_NAME], {}, 2),
    ("fw-file-not-utf8", [*FW_ADD, "--file", "{root}/" + NOT_UTF8_NAME], {}, 2),
    ("fw-file-under-file", [*FW_ADD, "--file", "{root}/file-not-dir/x"], {}, 2),
    ("fw-if-exists-maybe", [*FW_ADD, "--url", "https://x/fw", "--if-exists", "maybe"], {}, 2),
    ("fw-empty-patch", [*FW_ADD, "--patch", "", "--url", "https://x/fw"], {}, 2),
    ("fw-blank-description", [*FW_ADD, "--url", "https://x/fw", "--description", "  "], {}, 2),
    ("fw-blank-device-type", [*FW_ADD, "--url", "https://x/fw", "--device-type", ""], {}, 2),
    ("fw-new-no-description", ["firmware", "add", "bad-new", "--version", "1", "--url", URL], {}, 2),
    ("fw-patch-of-missing", ["firmware", "add", "no", "--version", "1", "--patch", "p", "--url", URL], {}, 4),
    ("fw-exists", [*FW_AGAIN, "--url", URL], {}, 7),
    ("fw-skip-other-content", [*FW_AGAIN, "--file", "{root}/other.bin", "--if-exists", "skip"], {}, 7),
    ("fw-skip-url-for-file", [*FW_AGAIN, "--url", URL, "--if-exists", "skip"], {}, 7),
    ("fw-show-missing", ["firmware", "show", "no-such-fw"], {}, 4),
    ("fw-show-blank", ["firmware", "show", " "], {}, 2),
    ("fw-delete-missing", ["firmware", "delete", "no-such-fw", "--yes"], {}, 4),
    ("fw-delete-unconfirmed", ["firmware", "delete", "bad-fw"], {}, 2),
    ("fw-delete-missing-version", ["firmware", "delete", "bad-fw", "--version", "9.9", "--yes"], {}, 4),
    ("fw-download-missing", ["firmware", "download", "no-such-fw", "--version", "1"], {}, 4),
    ("fw-download-empty-version", ["firmware", "download", "bad-fw", "--version", ""], {}, 2),
    ("fw-download-devnull", [*FW_GET, "--to", "/dev/null", "--yes"], {}, 2),
    ("fw-download-fifo", [*FW_GET, "--to", "{root}/pipe", "--yes"], {}, 2),
    ("fw-download-exists", [*FW_GET, "--to", "{fw}"], {}, 2),
    ("fw-edit-missing", ["firmware", "edit", "no-such-fw", "--name", "y"], {}, 4),
    ("fw-edit-blank-name", ["firmware", "edit", "bad-fw", "--name", ""], {}, 2),
    ("fw-list-bogus-option", ["firmware", "list", "--bogus"], {}, 2),
    ("fw-list-blank-type", ["firmware", "list", "--device-type", " "], {}, 2),
    # -- software ---------------------------------------------------------------------------------
    ("sw-url-javascript", [*SW_ADD, "--url", "javascript:x", "--software-type", "apt"], {}, 2),
    ("sw-new-without-type", [*SW_ADD, "--url", URL, "--description", "d"], {}, 2),
    ("sw-empty-version", ["software", "add", "x", "--version", "", "--url", "https://x/s"], {}, 2),
    ("sw-file-missing", [*SW_ADD, "--file", "{root}/missing.deb"], {}, 2),
    ("sw-patch", [*SW_ADD, "--patch", "p", "--url", "https://x/s"], {}, 2),
    ("sw-show-missing", ["software", "show", "no-such-sw"], {}, 4),
    ("sw-delete-missing", ["software", "delete", "no-such-sw", "--yes"], {}, 4),
    ("sw-download-missing", ["software", "download", "no-such-sw", "--version", "1"], {}, 4),
    ("sw-edit-missing", ["software", "edit", "no-such-sw", "--description", "d"], {}, 4),
    ("sw-list-blank-type", ["software", "list", "--software-type", ""], {}, 2),
    ("sw-exists", ["software", "add", "bad-sw", "--version", "1.0", "--url", SW_URL], {}, 7),
    # -- devices ----------------------------------------------------------------------------------
    ("dev-show-missing", ["device", "show", "no-such-device"], {}, 4),
    ("dev-show-blank", ["device", "show", ""], {}, 2),
    ("dev-install-missing-device", ["device", "install", "nope", "--firmware", "bad-fw@1.0"], {}, 4),
    ("dev-install-nothing", ["device", "install", "linux-0001"], {}, 2),
    ("dev-install-no-name", [*INSTALL, "--firmware", "@1"], {}, 2),
    ("dev-install-empty-version", [*INSTALL, "--firmware", "bad-fw@"], {}, 2),
    ("dev-install-patch-alone", [*INSTALL, "--patch", "p"], {}, 2),
    ("dev-install-missing-fw", [*INSTALL, "--firmware", "no-such-fw@1"], {}, 4),
    ("dev-install-missing-version", [*INSTALL, "--firmware", "bad-fw@9.9"], {}, 4),
    ("dev-install-twice-named", [*INSTALL, "--software", "a@1", "--software", "a@2"], {}, 2),
    ("dev-install-wrong-type", [*INSTALL, "--firmware", "bad-gw-fw@1.0"], {}, 2),
    ("dev-remove-no-software", ["device", "remove", "linux-0001"], {}, 2),
    ("dev-remove-not-installed", ["device", "remove", "linux-0001", "--software", "not-installed"], {}, 4),
    ("dev-operations-limit-0", ["device", "operations", "linux-0001", "--limit", "0"], {}, 2),
    ("dev-operations-bad-status", ["device", "operations", "linux-0001", "--status", "SLEEPING"], {}, 2),
    ("dev-list-bad-query", ["device", "list", "--query", "name eq ((("], {}, 8),
    ("dev-negative-timeout", ["device", "list", "--timeout", "-5"], {}, 2),
    ("dev-bad-output", ["device", "list", "-o", "yaml"], {}, 2),
    # -- operations -------------------------------------------------------------------------------
    ("op-show-missing", ["operation", "show", "999999999"], {}, 4),
    ("op-wait-missing", ["operation", "wait", "999999999"], {}, 4),
    ("op-wait-missing-dry-run", ["operation", "wait", "999999999", "--dry-run"], {}, 4),
    ("op-cancel-missing", ["operation", "cancel", "999999999", "--yes"], {}, 4),
    ("op-show-no-id", ["operation", "show"], {}, 2),
    ("op-wait-no-id", ["operation", "wait"], {}, 2),
    # -- bulk operations --------------------------------------------------------------------------
    ("bulk-start-overflow", [*BULK_FW, "--start", "+99999999d"], {}, 2),
    ("bulk-start-huge", [*BULK_FW, "--start", "+" + "9" * 400 + "s"], {}, 2),
    ("bulk-start-words", [*BULK_FW, "--start", "yesterday"], {}, 2),
    ("bulk-start-past", [*BULK_FW, "--start", "2001-01-01T00:00:00Z"], {}, 2),
    ("bulk-ramp-negative", [*BULK_FW, "--ramp", "-1"], {}, 2),
    ("bulk-ramp-too-long", [*BULK_FW, "--ramp", "99999"], {}, 2),
    ("bulk-two-sources", [*BULK, "--from-operation", "1", "--firmware", "x", "--group", "Gateways"], {}, 2),
    ("bulk-no-target", [*BULK, "--firmware", "bad-fw"], {}, 2),
    ("bulk-two-targets", [*BULK_FW, "--query", "x"], {}, 2),
    ("bulk-two-types", [*BULK_FW, "--type", "a", "--type", "b"], {}, 2),
    ("bulk-patch-without-fw", [*BULK, "--software", "sw", "--patch", "p1", "--group", "Gateways"], {}, 2),
    ("bulk-missing-fw", [*BULK, "--firmware", "no-such-fw", "--group", "Gateways"], {}, 4),
    ("bulk-missing-group", [*BULK, "--firmware", "bad-fw", "--group", "no-such-group"], {}, 4),
    ("bulk-missing-operation", [*BULK, "--from-operation", "999999999", "--group", "Gateways"], {}, 4),
    ("bulk-full-state", [*BULK, "--from-operation", "{full_state_op}", "--group", "Gateways"], {}, 2),
    ("bulk-failed-source", [*BULK, "--from-operation", "{failed_op}", "--group", "Gateways"], {}, 2),
    ("bulk-type-excluded", [*BULK_GW, "--group", "Field test"], {}, 2),
    ("bulk-type-none-fits", [*BULK_GW, "--group", "All Linux", "--type", "c8y_Gateway"], {}, 2),
    ("bulk-type-mismatch", [*BULK_GW, "--type", "c8y_Linux"], {}, 2),
    ("bulk-all-unconfirmed", [*BULK, "--firmware", "bad-fw", "--query", ""], {}, 2),
    ("bulk-bad-query", [*BULK, "--firmware", "bad-fw", "--query", "name eq ((("], {}, 8),
    ("bulk-list-bad-status", ["bulk", "list", "--status", "sleeping"], {}, 2),
    ("bulk-show-missing", ["bulk", "show", "999999999"], {}, 4),
    ("bulk-cancel-missing", ["bulk", "cancel", "999999999", "--yes"], {}, 4),
    ("bulk-cancel-finished", ["bulk", "cancel", "{finished_bulk}", "--yes"], {}, 7),
    ("bulk-retry-missing", ["bulk", "retry", "999999999"], {}, 4),
    ("bulk-retry-bad-start", ["bulk", "retry", "{finished_bulk}", "--start", "soon"], {}, 2),
    # -- configuration ----------------------------------------------------------------------------
    ("config-show-missing", ["config", "show", "nope"], {}, 4),
    ("config-url-javascript", ["config", "add", "x", "--url", "javascript:x", "--type", "t"], {}, 2),
    ("config-file-missing", ["config", "add", "x", "--file", "{root}/missing.toml"], {}, 2),
    ("config-if-exists-maybe", ["config", "add", "x", "--url", URL, "--if-exists", "maybe"], {}, 2),
    ("config-delete-missing", ["config", "delete", "nope", "--yes"], {}, 4),
    ("config-download-missing", ["config", "download", "nope"], {}, 4),
    ("config-edit-missing", ["config", "edit", "nope", "--description", "d"], {}, 4),
    ("config-edit-bad-url", ["config", "edit", "nope", "--url", "fw.bin"], {}, 2),
    ("config-list-blank-type", ["config", "list", "--type", ""], {}, 2),
    ("snapshot-missing-device", ["device", "snapshot", "nope", "--type", "x"], {}, 4),
    ("snapshot-blank-type", ["device", "snapshot", "linux-0001", "--type", ""], {}, 2),
    ("install-config-text-missing", [*INSTALL, "--config-text", "{root}/missing.txt"], {}, 2),
    ("install-config-missing", [*INSTALL, "--config", "nope"], {}, 4),
    ("bulk-config-missing", [*BULK, "--config", "nope", "--group", "Gateways"], {}, 4),
    # -- device profiles --------------------------------------------------------------------------
    ("profile-show-missing", ["profile", "show", "nope"], {}, 4),
    ("profile-create-blank", ["profile", "create", " "], {}, 2),
    ("profile-create-blank-type", ["profile", "create", "x", "--device-type", ""], {}, 2),
    ("profile-copy-missing", ["profile", "copy", "nope"], {}, 4),
    ("profile-edit-missing", ["profile", "edit", "nope", "--name", "y"], {}, 4),
    ("profile-delete-missing", ["profile", "delete", "nope", "--yes"], {}, 4),
    ("profile-set-missing", ["profile", "set", "nope", "--firmware", "a@1"], {}, 4),
    ("profile-set-nothing", ["profile", "set", "nope"], {}, 2),
    ("profile-set-empty-software", ["profile", "set", "nope", "--software", ""], {}, 2),
    ("profile-devices-missing", ["profile", "devices", "nope"], {}, 4),
    ("bulk-profile-missing", [*BULK, "--profile", "nope", "--group", "Gateways"], {}, 4),
    # -- device credentials -------------------------------------------------------------------------
    ("cred-show-missing", ["credentials", "show", "nope"], {}, 4),
    ("cred-roles-unknown", ["credentials", "roles", "nope", "--add", "ROLE_X"], {}, 2),
    ("cred-enable-missing", ["credentials", "enable", "nope"], {}, 4),
    ("cred-disable-no-arg", ["credentials", "disable"], {}, 2),
    ("cred-password-missing", ["credentials", "password", "nope", "--generate"], {}, 4),
    ("cred-delete-missing", ["credentials", "delete", "nope", "--yes"], {}, 4),
    ("cred-register-missing-file", ["credentials", "register", "--csv", "{root}/missing.csv"], {}, 2),
    ("cred-register-empty-file", ["credentials", "register", "--csv", "{root}/empty.bin"], {}, 2),
    ("cred-register-nothing", ["credentials", "register"], {}, 2),
    ("cred-list-blank-role", ["credentials", "list", "--role", ""], {}, 2),
    # -- registration ----------------------------------------------------------------------------
    ("reg-list-bad-status", ["registration", "list", "--status", "SLEEPING"], {}, 2),
    ("reg-add-blank", ["registration", "add", ""], {}, 2),
    ("reg-accept-nothing", ["registration", "accept"], {}, 2),
    ("reg-accept-missing", ["registration", "accept", "nope"], {}, 4),
    ("reg-delete-missing", ["registration", "delete", "nope", "--yes"], {}, 4),
    # -- trusted certificates -----------------------------------------------------------------------
    ("cert-show-not-hex", ["certificates", "show", "nope"], {}, 2),
    ("cert-add-missing", ["certificates", "add", "{root}/missing.pem", "--name", "x"], {}, 2),
    ("cert-add-not-a-cert", ["certificates", "add", "{fw}", "--name", "x"], {}, 2),
    ("cert-enable-not-hex", ["certificates", "enable", "nope"], {}, 2),
    ("cert-rename-not-hex", ["certificates", "rename", "nope", "y"], {}, 2),
    ("cert-auto-register-maybe", ["certificates", "auto-register", "ab12", "maybe"], {}, 2),
    ("cert-delete-not-hex", ["certificates", "delete", "nope", "--yes"], {}, 2),
    ("cert-verify-missing-key", ["certificates", "verify", "ab12", "--key", "{root}/missing.key"], {}, 2),
    ("cert-revoke-bad-serial", ["certificates", "revoke", "--serial", "xyz"], {}, 2),
    ("cert-revoke-nothing", ["certificates", "revoke"], {}, 2),
    ("cert-ca-bogus", ["certificates", "ca", "bogus"], {}, 2),
    # -- sandbox ----------------------------------------------------------------------------------
    ("sandbox-port-negative", [*SANDBOX, "--port", "-1", "--data-dir", "{root}/sb"], {}, 2),
    ("sandbox-port-range", [*SANDBOX, "--port", "70000", "--data-dir", "{root}/sb"], {}, 2),
    ("sandbox-port-busy", [*SANDBOX, "--port", "{busy_port}", "--data-dir", "{root}/sb"], {}, 2),
    ("sandbox-devices-huge", [*SANDBOX, "--devices", "99999999999", "--data-dir", "{root}/sb"], {}, 2),
    ("sandbox-devices-negative", [*SANDBOX, "--devices", "-3", "--data-dir", "{root}/sb"], {}, 2),
    ("sandbox-bad-fault", [*SANDBOX, "--fault", "nonsense", "--data-dir", "{root}/sb"], {}, 2),
    ("sandbox-failure-rate", [*SANDBOX, "--failure-rate", "2", "--data-dir", "{root}/sb"], {}, 2),
    ("sandbox-bogus", ["sandbox", "bogus"], {}, 2),
]  # fmt: skip


def _environment(case_env: dict[str, str | None], instance: SandboxInstance, fill: Callable[[str], str],
                 tmp_path: Path) -> dict[str, str | None]:  # fmt: skip
    env: dict[str, str | None] = {
        **connection(instance),
        "C8YDM_CONFIG_DIR": str(tmp_path / "config"),
        "C8YDM_CACHE_DIR": str(tmp_path / "cache"),
    }
    for name, value in case_env.items():
        if name == "SESSIONS":
            (tmp_path / "config").mkdir(exist_ok=True)
            (tmp_path / "config" / "sessions.json").write_bytes(os.fsencode(value or ""))
        else:
            env[name] = fill(value) if value is not None else None
    return env


@pytest.mark.parametrize(("case", "args", "env", "code"), CASES, ids=[case[0] for case in CASES])
def test_bad_input_is_one_error_line_with_a_documented_code_and_changes_nothing(
    case: str,
    args: list[str],
    env: dict[str, str | None],
    code: int,
    world: dict[str, str],
    bad_sandbox: SandboxInstance,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    busy = _busy_port()
    values = {**world, "busy_port": str(busy.getsockname()[1])}
    (Path(world["root"]) / "other.bin").write_bytes(b"other content" * 10)

    def fill(text: str) -> str:
        return text.format(**values) if "{" in text and "}" in text else text

    for name in list(os.environ):
        if name.startswith(("C8Y_", "C8YDM_")):
            monkeypatch.delenv(name)
    for name, value in _environment(env, bad_sandbox, fill, tmp_path).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    before = tenant_state(bad_sandbox)

    try:
        result = invoke(capsys, [fill(arg) for arg in args])
    finally:
        busy.close()

    assert (result.code, case) == (code, case), result.stderr
    assert result.code in DOCUMENTED and result.code != 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert SECRET not in result.stderr + result.stdout
    assert tenant_state(bad_sandbox) == before
    assert not (Path(world["root"]) / "sb" / "sandbox.pid").exists()  # no sandbox was started
