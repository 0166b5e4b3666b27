"""How ``device snapshot`` shows a snapshot: text as it is, binary content never on a terminal, JSON with
the content (or base64), and the configuration lines of ``device show``."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from c8ydm.api.errors import InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.cli.commands.device_snapshot import _deliver
from c8ydm.cli.context import App, CommonOptions
from c8ydm.cli.exitcodes import exit_code_for
from c8ydm.cli.views.configuration import configuration_card, is_text
from c8ydm.procedures.device.config_snapshot import Snapshot, SnapshotRequest
from c8ydm.procedures.device.configuration import SnapshotInfo

DEVICE = ManagedObject.model_validate({"id": "4711", "name": "linux-0001", "type": "c8y_Linux"})
INFO = SnapshotInfo("tedge.toml snapshot", "2024-05-02T00:00:00.000Z", None, "text/plain", event_id="77")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class BinaryPipe(io.StringIO):
    """A non-terminal text stream with a byte buffer underneath, like sys.stdout."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer = io.BytesIO()


def deliver(output: str, stdout: io.StringIO, data: bytes) -> App:
    app = App(CommonOptions(output=output), stdout=stdout, stderr=io.StringIO())
    snapshot = Snapshot("tedge.toml", False, data, INFO)
    _deliver(app, None, DEVICE, snapshot, SnapshotRequest("tedge.toml"), operation=None, to=None)  # type: ignore[arg-type]
    return app


def test_text_is_written_as_it_is() -> None:
    pipe = BinaryPipe()

    deliver("table", pipe, b"a = 1\n[section]\n")

    assert pipe.buffer.getvalue() == b"a = 1\n[section]\n" and pipe.getvalue() == ""


def test_binary_content_is_refused_on_a_terminal_with_a_hint() -> None:
    with pytest.raises(InputError, match="binary") as refused:
        deliver("table", Terminal(), b"\x00\x01\xff")

    assert exit_code_for(refused.value) == 2
    assert "--to PATH" in str(refused.value.hint)


def test_binary_content_goes_to_a_pipe_unchanged() -> None:
    pipe = BinaryPipe()

    deliver("table", pipe, b"\x00\x01\xff")

    assert pipe.buffer.getvalue() == b"\x00\x01\xff"


def test_terminal_escape_sequences_count_as_binary() -> None:
    assert not is_text(b"log = 1\x1b[2J\n") and is_text("größe = 1\r\n\tx\n".encode())
    with pytest.raises(InputError):
        deliver("table", Terminal(), b"log = 1\x1b[2J\n")


@pytest.mark.parametrize(
    ("data", "key", "value"), [(b"a=1\n", "content", "a=1\n"), (b"\xff", "contentBase64", "/w==")]
)
def test_json_carries_the_content_or_its_base64(data: bytes, key: str, value: str) -> None:
    stdout = io.StringIO()

    deliver("json", stdout, data)

    document = json.loads(stdout.getvalue())
    assert document["snapshot"][key] == value and document["operation"] is None
    assert document["snapshot"]["eventId"] == "77" and document["snapshot"]["size"] == len(data)


def test_device_show_lines_for_each_type_and_the_text() -> None:
    operation: dict[str, Any] = {"id": "6", "status": "FAILED", "creationTime": "2024-05-02T00:00:00.000Z"}
    document = {
        "types": [
            {
                "type": "tedge.toml",
                "label": "tedge.toml",
                "reported": {"name": "agent"},
                "latestSnapshot": {"name": "snap", "time": "2024-05-01T00:00:00.000Z"},
                "lastOperation": operation,
            },
            {"type": None, "label": "Legacy configuration snapshot", "reported": None, "latestSnapshot": None,
             "lastOperation": None},
        ],
        "text": {"config": "a\nb\n", "lastOperation": None},
    }  # fmt: skip

    assert configuration_card(document) == {
        "configuration types": "tedge.toml, Legacy configuration snapshot",
        "config tedge.toml": (
            "on device: agent; snapshot 'snap' 2024-05-01T00:00:00.000Z; "
            "last operation 6 FAILED 2024-05-02T00:00:00.000Z"
        ),
        "config (legacy)": "no snapshot",
        "text configuration": "2 lines",
    }
    assert configuration_card(None) == {}
