"""Names from users and devices are printed literally in every display people read (issue 15).

Each live display runs on a (fake) terminal with names holding Rich markup (``evil [/x] fw``,
``[beta]``) and terminal escape sequences (``x\\x1b[2J``): nothing crashes, nothing disappears,
and no control character reaches the terminal. JSON keeps the data exact.
"""

from __future__ import annotations

import io
import json
import re

import pytest

from c8ydm.cli.context import App, CommonOptions
from c8ydm.cli.output import Output, printable
from c8ydm.cli.progress import OperationProgress, TransferProgress, UploadProgress

NAMES = ["evil [/x] fw", "Bob's fw [beta]", "x\x1b[2J", "[bold]loud[/bold]", "cr\rbell\a", "rtl\u202egnp.exe"]
SHOWN = [
    "evil [/x] fw",
    "Bob's fw [beta]",
    "x\\x1b[2J",
    "[bold]loud[/bold]",
    "cr\\x0dbell\\x07",
    "rtl\\u202egnp.exe",
]
# What Rich itself writes to draw a live display: SGR styles, cursor moves, erase line, show/hide cursor.
RICH_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal, so that progress runs as a live Rich display."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # Rich's width for a terminal: one line per display row


def terminal_output() -> tuple[Output, FakeTerminal]:
    stderr = FakeTerminal()
    return Output("json", stdout=io.StringIO(), stderr=stderr, environ={"NO_COLOR": "1"}), stderr


def shown(stream: io.StringIO) -> str:
    """What a person sees: the stream without the control sequences Rich uses to draw."""
    text = stream.getvalue()
    assert "\x1b[2J" not in text and "\a" not in text and "\u202e" not in text
    return RICH_CONTROL.sub("", text)


def test_printable_escapes_control_characters_and_keeps_everything_else() -> None:
    assert [printable(name) for name in NAMES] == SHOWN
    assert printable("tab\tand\nnewline, C:\\temp\\ [x] ü") == "tab\tand\nnewline, C:\\temp\\ [x] ü"
    assert printable("\x00\x7f\x9b") == "\\x00\\x7f\\x9b"


@pytest.mark.parametrize(("name", "expected"), list(zip(NAMES, SHOWN, strict=True)))
def test_live_upload_progress_shows_odd_file_names_literally(name: str, expected: str) -> None:
    out, stderr = terminal_output()

    with UploadProgress(out, name, 2_000) as bar:
        bar.advance(1_000)
        bar.advance(1_000)

    assert expected in shown(stderr)


@pytest.mark.parametrize(("name", "expected"), list(zip(NAMES, SHOWN, strict=True)))
def test_live_download_progress_shows_odd_names_literally(name: str, expected: str) -> None:
    out, stderr = terminal_output()

    with TransferProgress(out, f"{name} 1.0", None, verb="Downloading", done_verb="Downloaded") as bar:
        bar.update(500, 1_000)
        bar.update(1_000, 1_000)

    assert f"{expected} 1.0" in shown(stderr)


@pytest.mark.parametrize(("name", "expected"), list(zip(NAMES, SHOWN, strict=True)))
def test_live_operation_progress_shows_odd_descriptions_literally(name: str, expected: str) -> None:
    out, stderr = terminal_output()
    label = f'Update firmware to: "{name}" (version: 1.0.0)'

    with OperationProgress(out) as live:
        for status in ("PENDING", "EXECUTING", "SUCCESSFUL"):
            live.update("42", status, label)

    assert f'operation 42 (Update firmware to: "{expected}" (version: 1.0.0)): SUCCESSFUL' in shown(stderr)


def test_live_operation_progress_folds_a_long_description_and_keeps_the_status(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    out, stderr = terminal_output()

    with OperationProgress(out) as live:
        live.update("42", "SUCCESSFUL", "Update firmware to: linux-image-with-a-long-name (version: 6.1.2)")

    assert "SUCCESSFUL" in shown(stderr)


@pytest.mark.parametrize(("name", "expected"), list(zip(NAMES, SHOWN, strict=True)))
def test_plain_progress_lines_escape_control_characters(name: str, expected: str) -> None:
    stderr = io.StringIO()
    out = Output("json", stdout=io.StringIO(), stderr=stderr, environ={})

    with UploadProgress(out, name, 3) as bar:
        bar.advance(3)
    with OperationProgress(out) as live:
        live.update("7", "FAILED", name)

    assert stderr.getvalue().splitlines() == [
        f"Uploading {expected} (3 B)",
        f"Uploaded {expected} (3 B)",
        f"operation 7 ({expected}): FAILED",
    ]


@pytest.mark.parametrize(("name", "expected"), list(zip(NAMES, SHOWN, strict=True)))
def test_messages_warnings_and_errors_on_a_terminal_are_literal(name: str, expected: str) -> None:
    """Bulk progress lines, hints and errors are messages: printed as typed, also on a terminal."""
    out, stderr = terminal_output()

    out.message(f"bulk operation 10060: {name} 3/20 done")
    out.warning(name)
    out.error(f"No firmware named {name!r}.", hint=name)

    assert shown(stderr).splitlines() == [
        f"bulk operation 10060: {expected} 3/20 done",
        f"Warning: {expected}",
        f"Error: No firmware named {printable(repr(name))}.",
        f"Hint: {expected}",
    ]


def test_confirmation_prompt_escapes_control_characters() -> None:
    stderr = FakeTerminal()
    app = App(CommonOptions(), stdin=FakeTerminal("n\n"), stdout=io.StringIO(), stderr=stderr, environ={})

    assert app.confirm("Delete firmware 'x\x1b[2J'?") is False
    assert stderr.getvalue() == "Delete firmware 'x\\x1b[2J'? [y/N] "


def test_tables_escape_control_characters_and_json_keeps_them() -> None:
    rows = [{"name": name} for name in NAMES]
    table, as_json = io.StringIO(), io.StringIO()

    Output("table", stdout=table, stderr=io.StringIO(), environ={"COLUMNS": "60"}).render(rows)
    Output("json", stdout=as_json, stderr=io.StringIO(), environ={}).render(rows)

    assert [line.rstrip() for line in table.getvalue().splitlines()[2:]] == SHOWN
    assert json.loads(as_json.getvalue()) == rows
