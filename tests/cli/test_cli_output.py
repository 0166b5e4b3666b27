"""The output layer: formats, machine mode from isatty (not Rich), NO_COLOR, progress on stderr."""

from __future__ import annotations

import io
import json
import math
import os
import pty
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from support.entry_point import ENTRY_POINT, Run
from support.terminal import read_until_closed

from c8ydm import settings
from c8ydm.api.errors import NotFoundError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.cli import output as output_module
from c8ydm.cli.output import Output, printable
from c8ydm.cli.progress import OperationProgress, TransferProgress, UploadProgress

ANSI = "\x1b["
ROWS: list[dict[str, Any]] = [
    {"id": "1", "name": "alpha", "c8y_Firmware": {"version": "1.0"}},
    {"id": "2", "name": "beta"},
]


def render(fmt: str, data: Any, columns: Any = None, environ: dict[str, str] | None = None) -> str:
    stdout = io.StringIO()
    Output(fmt, stdout=stdout, stderr=io.StringIO(), environ=environ or {}).render(data, columns=columns)
    return stdout.getvalue()


def test_json_is_one_document_and_a_list_for_an_iterator() -> None:
    assert json.loads(render("json", iter(ROWS))) == ROWS


class CountingStream(io.StringIO):
    """A stdout that counts its writes and remembers what had been flushed."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0
        self.flushed = ""

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)

    def flush(self) -> None:
        self.flushed = self.getvalue()


def test_jsonl_writes_and_flushes_each_line_that_comes_a_flush_interval_after_the_last(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = iter([0.0, 0.25, 0.5])  # start, then the items come 0.25 s apart
    monkeypatch.setattr(output_module.time, "monotonic", lambda: next(clock))
    stdout, seen = CountingStream(), []

    def rows() -> Iterator[dict[str, Any]]:
        for row in ROWS:
            yield row
            seen.append(stdout.flushed)  # what had reached the reader before the next item

    Output("jsonl", stdout=stdout, environ={}).render(rows())

    assert [json.loads(line) for line in stdout.getvalue().splitlines()] == ROWS
    assert seen == [json.dumps(ROWS[0]) + "\n", stdout.getvalue()]


def test_jsonl_lines_produced_in_a_burst_are_written_in_batches_not_one_write_each() -> None:
    rows = [{"id": str(i), "name": "x" * 1000} for i in range(200)]  # ~200 KB within milliseconds
    stdout = CountingStream()

    Output("jsonl", stdout=stdout, environ={}).render(iter(rows))

    assert [json.loads(line) for line in stdout.getvalue().splitlines()] == rows
    assert stdout.writes == math.ceil(len(stdout.getvalue()) / output_module.JSONL_BATCH_CHARS)
    assert stdout.flushed == stdout.getvalue()


def test_jsonl_writes_every_line_produced_before_the_items_break_off() -> None:
    stdout = CountingStream()

    def rows() -> Iterator[dict[str, Any]]:
        yield ROWS[0]
        raise NotFoundError("page 2 is gone")

    with pytest.raises(NotFoundError):
        Output("jsonl", stdout=stdout, environ={}).render(rows())

    assert stdout.flushed == json.dumps(ROWS[0]) + "\n"


def test_csv_uses_keys_as_header_and_reaches_into_fragments() -> None:
    text = render("csv", ROWS, columns=["id", "name", "c8y_Firmware.version"])

    assert text == "id,name,c8y_Firmware.version\n1,alpha,1.0\n2,beta,\n"


def test_table_has_fixed_width_without_terminal_and_no_colour() -> None:
    text = render(
        "table", ROWS, columns=[("ID", "id"), ("NAME", "name"), ("VERSION", "c8y_Firmware.version")]
    )

    assert text.splitlines() == ["ID   NAME    VERSION", "─" * 20, "1    alpha   1.0", "2    beta"]


def test_table_folds_long_cells_at_columns_width() -> None:
    text = render("table", [{"name": "x" * 30}], environ={"COLUMNS": "12"})

    assert text.splitlines() == ["name", "─" * 12, "x" * 12, "x" * 12, "x" * 6]


def test_table_prints_markup_like_cells_and_headers_literally() -> None:
    rows = [{"name": "router [x]", "note": "[bold]loud[/bold]"}, {"name": "C:\\temp\\", "note": "\\[x]"}]

    text = render(
        "table", rows, columns=[("NAME [x]", "name"), ("[bold]NOTE", "note")], environ={"COLUMNS": "40"}
    )

    assert text.splitlines() == [
        "NAME [x]     [bold]NOTE",
        "─" * 30,
        "router [x]   [bold]loud[/bold]",
        "C:\\temp\\     \\[x]",
    ]


def test_models_are_rendered_with_cumulocity_field_names() -> None:
    device = ManagedObject.model_validate({"id": "7", "name": "dev", "c8y_IsDevice": {}, "lastUpdated": "x"})

    assert json.loads(render("json", [device])) == [
        {"id": "7", "name": "dev", "c8y_IsDevice": {}, "lastUpdated": "x"}
    ]


def test_output_is_json_by_default_when_stdout_is_not_a_terminal(run_c8ydm: Callable[..., Run]) -> None:
    settings.save_session(settings.Session(name="prod", url="https://t1.example.com", tenant="t1", user="u"))

    result = run_c8ydm("session", "list")

    assert result.code == 0
    assert result.json() == [
        {
            "name": "prod",
            "url": "https://t1.example.com",
            "tenant": "t1",
            "user": "u",
            "auth": "BASIC",
            "insecure": False,
            "kind": "tenant",
            "current": True,
        }
    ]
    assert result.stderr == ""


def test_c8ydm_output_environment_variable_selects_the_format(run_c8ydm: Callable[..., Run]) -> None:
    settings.save_session(settings.Session(name="prod", url="https://t1.example.com"))

    result = run_c8ydm("session", "list", env={"C8YDM_OUTPUT": "csv"})

    assert result.stdout.splitlines()[0] == "name,current,url,tenant,user,auth,insecure,kind"


def test_force_color_does_not_make_a_pipe_a_terminal(run_c8ydm: Callable[..., Run]) -> None:
    settings.save_session(settings.Session(name="prod", url="https://t1.example.com"))

    as_json = run_c8ydm("session", "list", env={"FORCE_COLOR": "1"})
    as_table = run_c8ydm("session", "list", "-o", "table", env={"FORCE_COLOR": "1"})

    assert json.loads(as_json.stdout)[0]["name"] == "prod"
    assert ANSI not in as_table.stdout and "prod" in as_table.stdout


def _on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """Run c8ydm with stdout on a pseudo-terminal; returns what the terminal received."""
    main, child = pty.openpty()
    process = subprocess.Popen(
        [*ENTRY_POINT, *args], stdout=child, stderr=subprocess.DEVNULL, env={**os.environ, **env}
    )
    os.close(child)
    received = read_until_closed(main)
    process.wait(timeout=30)
    os.close(main)
    return received.decode()


def test_no_color_turns_off_ansi_escapes_even_on_a_terminal() -> None:
    settings.save_session(settings.Session(name="prod", url="https://t1.example.com"))

    coloured = _on_a_terminal("session", "list", env={})
    plain = _on_a_terminal("session", "list", env={"NO_COLOR": "1"})

    assert ANSI in coloured  # the default on a terminal: a table with a bold header
    assert "prod" in plain and ANSI not in plain
    assert "NAME" in plain  # still a table: NO_COLOR changes colour, not the format


def test_progress_without_terminal_prints_plain_lines_on_stderr(cli: Callable[..., Run], probe: None) -> None:
    result = cli("uploading")

    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Uploading firmware.bin (2.5 MB)",
        "Uploaded firmware.bin (2.5 MB)",
        "operation 42 (device-1): PENDING",
        "operation 42 (device-1): EXECUTING",
        "operation 42 (device-1): SUCCESSFUL",
    ]


def test_download_progress_without_terminal_starts_with_the_first_bytes_and_their_total() -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    out = Output("json", stdout=stdout, stderr=stderr, environ={})

    with TransferProgress(out, "fw 1.0", None, verb="Downloading", done_verb="Downloaded") as bar:
        assert stderr.getvalue() == ""  # nothing before the first bytes: the version may not exist
        bar.update(1_000_000, 2_500_000)
        bar.update(2_500_000, 2_500_000)

    assert stdout.getvalue() == ""
    assert stderr.getvalue().splitlines() == ["Downloading fw 1.0 (2.5 MB)", "Downloaded fw 1.0 (2.5 MB)"]


def test_download_progress_shows_nothing_when_it_fails_before_any_byte() -> None:
    stderr = io.StringIO()
    out = Output("json", stdout=io.StringIO(), stderr=stderr, environ={})

    with pytest.raises(LookupError), TransferProgress(out, "fw 1.0", None, verb="Downloading") as bar:
        raise LookupError(bar.label)

    assert stderr.getvalue() == ""


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_stderr_messages_carry_no_ansi_when_not_a_terminal(fmt: str) -> None:
    stderr = io.StringIO()
    Output(fmt, stdout=io.StringIO(), stderr=stderr, environ={}).error("bad", "try again")

    assert stderr.getvalue() == "Error: bad\nHint: try again\n"


@pytest.mark.parametrize("text", ["a\tb", "ab\tc\nabcdefghij\tk", "[bold]x[/] \x1b[2J", "é" * 200])
def test_a_message_to_a_pipe_is_what_rich_would_write_there(text: str) -> None:
    from rich.console import Console

    stderr, expected = io.StringIO(), io.StringIO()
    Output("json", stdout=io.StringIO(), stderr=stderr, environ={}).message(text)
    Console(file=expected, force_terminal=False, no_color=True, width=80, color_system=None,
            highlight=False, emoji=False).print(printable(text), markup=False, soft_wrap=True)  # fmt: skip

    assert stderr.getvalue() == expected.getvalue()


def test_messages_to_a_pipe_do_not_import_rich() -> None:
    probe = (
        "import io, sys; from c8ydm.cli.output import Output; "
        "Output('json', stdout=io.StringIO(), stderr=sys.stderr, environ={}).warning('w'); "
        "print('rich' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )

    assert (done.stdout, done.stderr) == ("False\n", "Warning: w\n")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_is_drawn_by_rich_on_stderr_only() -> None:
    stdout, stderr = io.StringIO(), FakeTerminal()
    out = Output("json", stdout=stdout, stderr=stderr, environ={"NO_COLOR": "1"})

    with UploadProgress(out, "fw.bin", 1000) as bar:
        bar.advance(1000)
    with OperationProgress(out) as live:
        live.update("42", "EXECUTING", "device-1")
        live.update("42", "SUCCESSFUL", "device-1")

    assert stdout.getvalue() == ""
    assert "fw.bin" in stderr.getvalue() and "1.0/1.0 kB" in stderr.getvalue()
    assert "operation 42 (device-1): SUCCESSFUL" in stderr.getvalue()


def test_download_progress_on_a_terminal_is_a_rich_bar_with_the_total_once_known() -> None:
    stdout, stderr = io.StringIO(), FakeTerminal()
    out = Output("json", stdout=stdout, stderr=stderr, environ={"NO_COLOR": "1", "COLUMNS": "100"})

    with TransferProgress(out, "fw 1.0", None, verb="Downloading", done_verb="Downloaded") as bar:
        bar.update(1_000, None)
        bar.update(2_000, 2_000)

    assert stdout.getvalue() == ""
    assert "fw 1.0" in stderr.getvalue() and "2.0/2.0 kB" in stderr.getvalue()


def test_one_object_as_table_has_a_row_per_field() -> None:
    text = render("table", ROWS[0], columns=[("Name", "name"), ("Version", "c8y_Firmware.version")])

    assert text.splitlines() == ["FIELD     VALUE", "─" * 15, "Name      alpha", "Version   1.0"]
