"""Bulk device registration from CSV (contract §12.6): parsing and one result per row.

- The first line is the header, the separator (tab, `;` or `,`) is detected from it, and quoted
  headers and values (the UI's templates: `"ID";"PATH"`) are unquoted.
- Without a CREDENTIALS column (the UI's "simple" template) every row becomes a new device request
  that still needs acceptance, in the group given by PATH.
- Otherwise a row creates the device user `device_<ID>` with CREDENTIALS as password (mandatory
  unless AUTH_TYPE=CERTIFICATES), and when TYPE and NAME are given the device itself: owned by that
  user, with the external id IDTYPE (default c8y_Serial) = ID, `c8y_Mobile.iccid` from ICCID, shell
  support (`c8y_SupportedOperations: ["c8y_Command"]`) from SHELL=1, additional external ids from
  `external-<type>` columns, custom properties from any other column (dotted headers nest, values
  are strings) and the group path PATH (`group/sub/…`, missing groups are created).
  ICCID, IDTYPE, PATH and SHELL need TYPE and NAME.
- An ID whose external id or device user exists already gets its password replaced:
  `CREDENTIAL_UPDATED`, counted as successful (§12.4).
- A failed row is reported with its reason and its CSV line number; credentials are never echoed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from c8ydm.sandbox.core.auth import hash_password
from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.model import identity, user_groups
from c8ydm.sandbox.model.users import check_password_rules

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

KNOWN_COLUMNS = frozenset(
    {
        "ID",
        "CREDENTIALS",
        "AUTH_TYPE",
        "TENANT",
        "TYPE",
        "NAME",
        "ICCID",
        "IDTYPE",
        "PATH",
        "SHELL",
        "ENROLLMENT_OTP",
    }
)
_NEEDS_TYPE_AND_NAME = ("ICCID", "IDTYPE", "PATH", "SHELL")
SEPARATORS = ("\t", ";", ",")


@dataclass
class BulkResult:
    created: int = 0
    rows: int = 0
    updated: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)

    def body(self) -> dict[str, Any]:
        return {
            "numberOfAll": self.rows,
            "numberOfCreated": self.created,
            "numberOfFailed": len(self.failed),
            "numberOfSuccessful": self.created + len(self.updated),
            "credentialUpdatedList": self.updated,
            "failedCreationList": self.failed,
        }


class RowFailed(Exception):
    pass


def detect_separator(header_line: str) -> str:
    """The separator that splits the header most often, outside quotes; tab wins ties."""
    counts = {sep: 0 for sep in SEPARATORS}
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(SEPARATORS, key=lambda sep: counts[sep])


def parse_csv(text: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: value}) per data row; 422 without a header or an ID column."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise C8yHTTPError(422, "devicecontrol/invalidCsv", "The CSV file is empty")
    reader = csv.reader(io.StringIO(text), delimiter=detect_separator(lines[0]))
    header = [h.strip() for h in next(reader)]
    header = [h.upper() if h.upper() in KNOWN_COLUMNS else h for h in header]
    if "ID" not in header:
        raise C8yHTTPError(422, "devicecontrol/invalidCsv", "The CSV header has no ID column")
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        row = {name: value.strip() for name, value in zip(header, values, strict=False) if name}
        rows.append((reader.line_num, row))
    return rows


def group_for_path(state: SandboxState, path: str, owner: str) -> str | None:
    """The id of the last group of `a/b/c`, creating the missing ones (root groups by name first)."""
    parent: str | None = None
    for name in [part.strip() for part in path.split("/") if part.strip()]:
        if parent is None:
            candidates = [
                d["id"]
                for d in state.store.iter("managedObjects")
                if "c8y_IsDeviceGroup" in d
                and d.get("name") == name
                and not state.store.parents(d["id"], "childAssets")
            ]
        else:
            candidates = [
                c
                for c in state.store.children(parent, "childAssets")
                if (state.store.get("managedObjects", c) or {}).get("name") == name
            ]
        if candidates:
            current = str(candidates[0])
        else:
            current = str(
                state.store.create_mo(
                    {"name": name, "type": "c8y_DeviceGroup", "c8y_IsDeviceGroup": {}}, owner=owner
                )["id"]
            )
            if parent is not None:
                state.store.add_ref(parent, current, "childAssets")
        parent = current
    return parent


def _custom_fragments(row: dict[str, str]) -> dict[str, Any]:
    fragments: dict[str, Any] = {}
    for header, value in row.items():
        if header in KNOWN_COLUMNS or header.lower().startswith("external-") or value == "":
            continue
        target = fragments
        *parents, leaf = header.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value
    return fragments


def devices_group_id(state: SandboxState) -> str | None:
    found = state.store.find("groups", name="devices")
    return str(found[0]["id"]) if found else None


def register_row(state: SandboxState, row: dict[str, str], owner: str) -> str:
    """Create or update the credentials (and device) of one row: CREATED or CREDENTIAL_UPDATED."""
    store, ext_id = state.store, row.get("ID", "")
    password, has_device = _checked_row(row)
    id_type, user_name = row.get("IDTYPE") or "c8y_Serial", f"device_{ext_id}"
    extra_ids = [
        (h[len("external-") :], v) for h, v in row.items() if h.lower().startswith("external-") and v
    ]
    user = store.get("users", user_name)
    if user is not None or identity.find_external_id(store, id_type, ext_id) is not None:
        user = user or {"id": user_name, "userName": user_name, "enabled": True}
        if password:
            user["_passwordHash"] = hash_password(password)
            user["lastPasswordChange"] = store.now()
        store.put("users", user_name, user)
        return "CREDENTIAL_UPDATED"
    if has_device:  # check everything that can fail before anything is created
        for other_type, value in extra_ids:
            if identity.find_external_id(store, other_type, value) is not None:
                raise RowFailed(f"External id {value} of type {other_type} already exists")
        if row.get("PATH") and not row["PATH"].strip(" /"):
            raise RowFailed("PATH names no group")
    user = {"id": user_name, "userName": user_name, "enabled": True, "owner": owner}
    if password:
        user.update(_passwordHash=hash_password(password), lastPasswordChange=store.now())
    devices_group = devices_group_id(state)
    user_groups.set_groups(state, store.insert("users", user), [devices_group] if devices_group else [])
    if has_device:
        _create_device(state, row, user_name, [(id_type, ext_id), *extra_ids], owner)
    return "CREATED"


def _checked_row(row: dict[str, str]) -> tuple[str, bool]:
    """(password, whether the row describes a device); RowFailed for a row that cannot be used."""
    if not row.get("ID", ""):
        raise RowFailed("ID is mandatory")
    certificates = row.get("AUTH_TYPE", "").upper() == "CERTIFICATES"
    password = row.get("CREDENTIALS", "")
    if not certificates:
        if not password:
            raise RowFailed("CREDENTIALS are mandatory unless AUTH_TYPE is CERTIFICATES")
        try:
            check_password_rules(password)
        except C8yHTTPError as exc:
            raise RowFailed(exc.message) from None
    has_device = bool(row.get("TYPE")) and bool(row.get("NAME"))
    if not has_device and any(row.get(column) for column in _NEEDS_TYPE_AND_NAME):
        raise RowFailed("TYPE and NAME are required to use ICCID, IDTYPE, PATH or SHELL")
    return password, has_device


def _create_device(
    state: SandboxState, row: dict[str, str], user_name: str, external_ids: list[tuple[str, str]], owner: str
) -> None:
    """The row's device, owned by its device user, with its external ids, in the group of PATH."""
    store = state.store
    doc = {
        "name": row["NAME"],
        "type": row["TYPE"],
        "c8y_IsDevice": {},
        "com_cumulocity_model_Agent": {},
        **_custom_fragments(row),
    }
    if row.get("ICCID"):
        doc["c8y_Mobile"] = {"iccid": row["ICCID"]}
    if row.get("SHELL") == "1":
        doc["c8y_SupportedOperations"] = ["c8y_Command"]
    device = store.create_mo(doc, owner=user_name)
    for id_type, value in external_ids:
        identity.add_external_id(store, id_type, value, device["id"])
    group = group_for_path(state, row.get("PATH", ""), owner)
    if group is not None:
        store.add_ref(group, device["id"], "childAssets")
