"""Bulk registration from CSV: local checks, the one upload, the per-row report, reconciliation (§12.6)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from credentials_fakes import USERS, user
from support.repo_mock import ScriptedTenant

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.procedures.credentials.csvfile import parse_registration, read_registration_csv, template
from c8ydm.procedures.credentials.register import register
from c8ydm.procedures.errors import PartialFailureError

BULK = "/devicecontrol/bulkNewDeviceRequests"
CANARY = "canary-S3cr3t-pw"
FULL = f""""ID";"TYPE";"NAME";"IDTYPE";"CREDENTIALS"
SN-1;c8y_Linux;dev-1;;{CANARY}1
SN-2;c8y_Linux;dev-2;c8y_IMEI;{CANARY}2
SN-3;;;;{CANARY}3
"""


def answer(
    *, failed: Sequence[dict[str, Any]] = (), updated: Sequence[str] = (), total: int = 3
) -> dict[str, Any]:
    created = total - len(failed) - len(updated)
    return {
        "numberOfAll": total,
        "numberOfCreated": created,
        "numberOfFailed": len(failed),
        "numberOfSuccessful": total - len(failed),
        "credentialUpdatedList": [
            {"bulkNewDeviceStatus": "CREDENTIAL_UPDATED", "deviceId": i} for i in updated
        ],
        "failedCreationList": [{"bulkNewDeviceStatus": "FAILED", **f} for f in failed],
    }


def test_templates_are_the_uis() -> None:
    assert template("simple") == '"ID";"PATH"\n'
    assert (
        template("full") == '"ID";"TYPE";"NAME";"ICCID";"IDTYPE";"PATH";"SHELL";"AUTH_TYPE";"CREDENTIALS"\n'
    )
    assert template("certificate").endswith(';"CREDENTIALS";"ENROLLMENT_OTP"\n')


@pytest.mark.parametrize("separator", ["\t", ";", ","])
def test_the_separator_is_detected_from_the_header(separator: str) -> None:
    text = f"ID{separator}PATH\nSN-1{separator}a/b\nSN-2{separator}\n"

    checked = parse_registration("f.csv", text.encode())

    assert [(r.line, r.external_id) for r in checked.rows] == [(2, "SN-1"), (3, "SN-2")] and checked.is_simple


def test_row_errors_are_listed_with_line_numbers_and_no_password(tmp_path: Path) -> None:
    text = (
        '"ID";"TYPE";"NAME";"ICCID";"AUTH_TYPE";"CREDENTIALS"\n'
        f"SN-1;t;n;;;{CANARY}\n"
        ";t;n;;;Valid-pw1\n"  # line 3: no ID
        f"SN-1;t;n;;;{CANARY}\n"  # line 4: duplicate
        "SN-4;;;8944;;Valid-pw1\n"  # line 5: ICCID without TYPE and NAME
        "SN-5;t;n;;;bad pw\n"  # line 6: password rules
        "SN-6;t;n;;CERTIFICATES;\n"  # fine: certificates need no password
        "SN-7;t;n\n"  # line 8: too few values
    )
    path = tmp_path / "devices.csv"
    path.write_text(text)

    with pytest.raises(InputError) as raised:
        read_registration_csv(path)

    message = raised.value.message
    assert message.startswith("devices.csv: 5 problem(s): line 3: ID is empty; line 4: external id SN-1")
    assert "line 5: ICCID need TYPE and NAME" in message and "line 6: CREDENTIALS do not meet" in message
    assert message.endswith("line 8: 3 values, the header has 6 columns")
    assert CANARY not in message and "bad pw" not in message


def test_an_additional_external_id_used_twice_is_a_row_error() -> None:
    text = "ID;TYPE;NAME;CREDENTIALS;external-c8y_IMEI\nA;t;a;Valid-pw1;IMEI-1\nB;t;b;Valid-pw2;IMEI-1\n"

    with pytest.raises(InputError, match=r"line 3: external id IMEI-1 \(c8y_IMEI\) is also on line 2"):
        parse_registration("f.csv", text.encode())


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"NAME;TYPE\nx;y\n", "no ID column"),
        (b"ID;ID\nx;y\n", "repeats the column\\(s\\) ID"),
        (b"ID;PATH\n", "no device rows"),
        (b"ID;PATH\n\xff\xfe;x\n", "not UTF-8"),
    ],
)
def test_bad_files_are_exit_2(content: bytes, expected: str) -> None:
    with pytest.raises(InputError, match=expected):
        parse_registration("f.csv", content)


def test_the_report_covers_every_row_and_scrubs_passwords(tenant: ScriptedTenant, client: Client) -> None:
    reason = f"Password {CANARY}3 rejected"
    tenant.on(
        "POST",
        BULK,
        answer(failed=[{"deviceId": "SN-3", "failureReason": reason, "line": "4"}], updated=["SN-2"]),
    )

    report = register(client, parse_registration("devices.csv", FULL.encode()))

    assert [(r.line, r.external_id, r.status, r.reason) for r in report.rows] == [
        (2, "SN-1", "CREATED", None),
        (3, "SN-2", "CREDENTIAL_UPDATED", None),
        (4, "SN-3", "FAILED", "Password *** rejected"),
    ]
    (call,) = tenant.calls
    assert call.body == {
        "file": {"filename": "devices.csv", "content_type": "text/csv", "data": FULL.encode()}
    }
    with pytest.raises(PartialFailureError, match="1 of 3 rows failed: line 4 \\(SN-3\\)"):
        report.raise_for_failures()


def test_a_lost_answer_is_reconciled_and_only_missing_rows_are_sent_again(
    tenant: ScriptedTenant, client: Client
) -> None:
    tenant.on("POST", BULK, httpx.ReadTimeout("lost"), answer(total=2))
    tenant.on(
        "GET", "/identity/externalIds/c8y_Serial/SN-1", {"externalId": "SN-1", "managedObject": {"id": "5"}}
    )
    tenant.on("GET", "/identity/externalIds/c8y_IMEI/SN-2", 404)
    tenant.on("GET", f"{USERS}/device_SN-3", user("device_SN-3"), 404)

    report = register(client, parse_registration("devices.csv", FULL.encode()))

    posts = [c for c in tenant.calls if c.method == "POST"]
    assert len(posts) == 2
    resent = posts[1].body["file"]["data"].decode()
    assert resent == f'"ID";"TYPE";"NAME";"IDTYPE";"CREDENTIALS"\nSN-2;c8y_Linux;dev-2;c8y_IMEI;{CANARY}2\n'
    assert [(r.line, r.external_id, r.status) for r in report.rows] == [
        (2, "SN-1", "FOUND"), (3, "SN-2", "CREATED"), (4, "SN-3", "FOUND"),
    ]  # fmt: skip
    assert report.reconciled


def test_a_simple_file_is_reconciled_against_new_device_requests(
    tenant: ScriptedTenant, client: Client
) -> None:
    tenant.on("POST", BULK, 502)
    tenant.on(
        "GET", "/devicecontrol/newDeviceRequests/SN-1", {"id": "SN-1", "status": "WAITING_FOR_CONNECTION"}
    )

    report = register(client, parse_registration("simple.csv", b"ID;PATH\nSN-1;a\n"))

    assert [(r.external_id, r.status) for r in report.rows] == [("SN-1", "FOUND")]
    assert [c.method for c in tenant.calls] == ["POST", "GET"]
