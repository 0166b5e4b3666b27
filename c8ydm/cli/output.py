"""stdout is data, stderr is people: table|json|jsonl|csv rendering, and the stderr messages.

Machine mode is decided here from ``isatty()`` and flags, never from Rich's own detection:
``FORCE_COLOR`` makes Rich believe it has a terminal, so every Console gets ``force_terminal`` set
explicitly. Colour only when the stream is a terminal and ``NO_COLOR`` is unset (no-color.org).
Tables have a fixed width when stdout is not a terminal (``COLUMNS``, else 80).

Everything printed for people is printed literally (style.md rule 9): names come from users and
devices. Rich markup in them (``evil [/x] fw``, ``[beta]``) is never interpreted (``Text`` and
``markup=False``), and control characters (ESC, CR, BEL, C1, bidi overrides) are shown as visible
escapes by :func:`printable`, so that a device name cannot clear the screen or rewrite a line.
JSON, jsonl and csv are data and keep every character exactly.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from c8ydm.api.verbatim import single_line

FORMATS = ("table", "json", "jsonl", "csv")
DEFAULT_WIDTH = 80  # table width when stdout is not a terminal and COLUMNS is unset
Column = str | tuple[str, str]  # a key ("c8y_Firmware.version" reaches into fragments) or (header, key)
TAB_SIZE = 8  # Rich's default: a tab in a message becomes spaces to the next multiple of 8
JSONL_FLUSH_SECONDS = 0.1  # jsonl lines reach a pipe at least this often while they are produced
JSONL_BATCH_CHARS = 1 << 16  # jsonl lines are written in batches of about this size
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False), built once


# C0 controls except tab and newline, DEL, C1 controls, and the Unicode bidi embedding/override/
# isolate characters (they reorder what follows them on the screen: "Trojan Source").
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` for a terminal: control characters as visible escapes (``\\x1b``), the rest unchanged."""
    return _UNPRINTABLE.sub(_escape, text)


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def default_format(stdout: TextIO) -> str:
    """cli-surface.md: ``table`` when stdout is a terminal, ``json`` otherwise."""
    return "table" if is_terminal(stdout) else "json"


def to_plain(item: Any) -> Any:
    """JSON-able data with Cumulocity's own field names (pydantic aliases, unset fields left out)."""
    if hasattr(item, "model_dump"):
        return item.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return to_plain(dataclasses.asdict(item))
    if isinstance(item, Mapping):
        return {str(k): to_plain(v) for k, v in item.items()}
    if isinstance(item, (list, tuple)):
        return [to_plain(v) for v in item]
    return item


def json_line(item: Any) -> str:
    """One jsonl line. An object that kept the tenant's text (``api.verbatim``) is that text; a plain
    dict is written as it is, without the copy of ``to_plain``; anything json cannot write as is
    goes through ``to_plain``."""
    text = single_line(item)
    if text is not None:
        return text + "\n"
    if type(item) is dict:
        try:
            return _ENCODE(item) + "\n"
        except (TypeError, ValueError):  # models, dataclasses, datetimes inside: convert first
            pass
    return _ENCODE(to_plain(item)) + "\n"


def json_text(data: Any) -> str:
    """The json document: plain data (dicts and lists as the tenant sent them) written as it is,
    anything else through ``to_plain``."""
    if type(data) in (dict, list):
        try:
            return json.dumps(data, indent=2, ensure_ascii=False)
        except (TypeError, ValueError):  # models, dataclasses, datetimes inside: convert first
            pass
    return json.dumps(to_plain(data), indent=2, ensure_ascii=False)


def _lookup(row: Mapping[str, Any], key: str) -> Any:
    if key in row:
        return row[key]
    value: Any = row
    for part in key.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _columns(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column] | None) -> list[tuple[str, str]]:
    if columns is None:  # every top-level key of the first row
        columns = list(rows[0]) if rows else []
    return [c if isinstance(c, tuple) else (c, c) for c in columns]


_NO_ROWS = object()


class OutputClosedError(Exception):
    """The reader of standard output went away (``c8ydm device list | head``): c8ydm stops writing.

    Not an OSError, so Click does not turn the broken pipe into its own exit 1 on the way out.
    """


@dataclass(frozen=True)
class View:
    """What a command prints, shaped once.

    - ``document``: json and jsonl print it: JSON-able data with Cumulocity's field names (one
      object, a list, or an iterator of objects, streamed for jsonl).
    - ``rows`` and ``columns``: csv prints ``rows`` (default: the document) through ``columns``,
      ``(HEADER, key.path)`` into each row, with the key paths as its header. Rows are the
      document's own objects, so the keys a script reads in csv are the keys of the JSON.
    - ``card``: a table first shows these ``label -> value`` lines (people read one object as a card
      of fields); without ``rows`` a table shows only the card.
    - ``table_rows`` / ``table_columns``: rows formatted for people (readable times, labels),
      default ``rows`` / ``columns``.
    """

    document: Any
    columns: Sequence[Column] | None = None
    rows: Any = _NO_ROWS
    card: Mapping[str, Any] | None = None
    table_rows: Any = _NO_ROWS
    table_columns: Sequence[Column] | None = None

    @property
    def has_rows(self) -> bool:
        """Whether the view names rows of its own (else the document is the rows)."""
        return self.rows is not _NO_ROWS

    def csv_rows(self) -> Any:
        """The rows csv prints."""
        return self.rows if self.has_rows else self.document

    def table(self) -> tuple[Any, Sequence[Column] | None] | None:
        """The rows and columns a table prints after the card; None: the card is all."""
        if self.table_rows is not _NO_ROWS:
            return self.table_rows, self.table_columns or self.columns
        if self.card is not None and not self.has_rows:
            return None
        return self.csv_rows(), self.table_columns or self.columns


class Output:
    """Renders command results on stdout and talks to people on stderr."""

    def __init__(
        self,
        fmt: str | None = None,
        *,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> None:
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.format = fmt or default_format(self.stdout)
        self.environ = environ
        self.no_color = bool(environ.get("NO_COLOR"))
        self._err_console: Any = None

    def console(self, stream: TextIO, *, tty: bool | None = None) -> Any:
        """A Rich console on ``stream`` that styles only a colour-capable terminal (``tty``)."""
        from rich.console import Console

        tty = is_terminal(stream) if tty is None else tty
        color = tty and not self.no_color
        columns = self.environ.get("COLUMNS", "")
        width = None if tty else int(columns) if columns.isdigit() else DEFAULT_WIDTH
        return Console(
            file=stream,
            force_terminal=tty,
            no_color=not color,
            width=width,
            color_system="auto" if color else None,
            highlight=False,
            emoji=False,
        )

    def render(self, data: Any, columns: Sequence[Column] | None = None) -> None:
        """Print ``data`` (one object, a list, or an iterator of objects) in the chosen format."""
        if self.format == "jsonl":
            items = [data] if isinstance(data, Mapping) or hasattr(data, "model_dump") else data
            self._lines(items)
            return
        if isinstance(data, Iterator):
            data = list(data)
        if self.format == "json":
            self.stdout.write(json_text(data) + "\n")
            self.stdout.flush()
            return
        plain = to_plain(data)
        if self.format == "csv":
            self._csv(plain if isinstance(plain, list) else [plain], columns)
        elif isinstance(plain, Mapping):  # one object: a row per field
            fields = [
                {"field": label, "value": _lookup(plain, key)} for label, key in _columns([plain], columns)
            ]
            self._table(fields, [("FIELD", "field"), ("VALUE", "value")])
        else:
            self._table(plain, columns)
        self.stdout.flush()

    def _lines(self, items: Iterable[Any]) -> None:
        """jsonl: one object per line, streamed while the items are produced: the lines are
        written in batches of ``JSONL_BATCH_CHARS``, and written and flushed whenever an item
        comes ``JSONL_FLUSH_SECONDS`` or more after the last flush, and at the end (also when
        the items break off with an error: every line produced is written).

        Batches, not a write per line: with ``PYTHONUNBUFFERED`` (set by many CI images) every
        write is a system call, which cost a 20,000-device listing 20 ms (issue 13)."""
        write, flush = self.stdout.write, self.stdout.flush
        batch: list[str] = []
        size = 0
        flushed = time.monotonic()
        try:
            for item in items:
                line = json_line(item)
                batch.append(line)
                size += len(line)
                now = time.monotonic()
                is_due = now - flushed >= JSONL_FLUSH_SECONDS
                if is_due or size >= JSONL_BATCH_CHARS:
                    write("".join(batch))
                    batch.clear()
                    size = 0
                if is_due:
                    flush()
                    flushed = now
        finally:
            if batch:
                write("".join(batch))
            flush()

    def _csv(self, rows: Sequence[Mapping[str, Any]], columns: Sequence[Column] | None) -> None:
        cols = _columns(rows, columns)
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow([key for _, key in cols])
        writer.writerows([_cell(_lookup(row, key)) for _, key in cols] for row in rows)

    def _table(self, rows: Sequence[Mapping[str, Any]], columns: Sequence[Column] | None) -> None:
        if not rows:
            self.message("No results.")
            return
        from io import StringIO

        from rich import box
        from rich.table import Table
        from rich.text import Text

        # Rendered to a buffer first, to drop the padding Rich leaves at the ends of lines.
        console = self.console(StringIO(), tty=is_terminal(self.stdout))
        table = Table(
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            header_style="bold" if console.color_system else "",
        )
        cols = _columns(rows, columns)
        # Text, not str: Rich would read "router [x]" or "[bold]" in data as markup and drop it.
        for header, _ in cols:
            table.add_column(Text(printable(header)), overflow="fold")
        for row in rows:
            table.add_row(*(Text(printable(_cell(_lookup(row, key)))) for _, key in cols))
        console.print(table)
        self.stdout.writelines(line.rstrip() + "\n" for line in console.file.getvalue().splitlines())

    # --- stderr: people ----------------------------------------------------------------------
    def _say(self, text: str, style: str = "") -> None:
        if self._err_console is None and not is_terminal(self.stderr):
            # What Rich writes to a stream that is not a terminal (no colour, soft wrap, tabs
            # expanded), without importing Rich for it: a piped or CI run skips ~15 ms of imports.
            self.stderr.write(printable(text).expandtabs(TAB_SIZE) + "\n")
            self.stderr.flush()
            return
        if self._err_console is None:
            self._err_console = self.console(self.stderr)
        self._err_console.print(printable(text), style=style or None, markup=False, soft_wrap=True)

    def prompt(self, text: str) -> None:
        """A question on stderr, without a line break (the answer is typed after it)."""
        self.stderr.write(printable(text))
        self.stderr.flush()

    def message(self, text: str) -> None:
        self._say(text)

    def warning(self, text: str) -> None:
        self._say(f"Warning: {text}", "yellow")

    def error(self, message: str, hint: str | None = None) -> None:
        self._say(f"Error: {message}", "bold red")
        if hint:
            self._say(f"Hint: {hint}", "dim")

    def error_object(self, code: int, kind: str, message: str, hint: str | None, details: Any = None) -> None:
        """cli-surface.md: with ``-o json`` an error is also an object on stdout. ``details``: the
        result the command had produced before it failed (a bulk operation with its progress)."""
        body: dict[str, Any] = {"code": code, "kind": kind, "message": message, "hint": hint}
        if details is not None:
            body["details"] = details
        error = {"error": body}
        indent = None if self.format == "jsonl" else 2
        self.stdout.write(json.dumps(error, indent=indent, ensure_ascii=False) + "\n")
        self.stdout.flush()

    def dry_run_record(self, record: Mapping[str, Any]) -> None:
        """One request that ``--dry-run`` did not send, as a JSON line on stdout."""
        self.stdout.write(json.dumps(to_plain(record), ensure_ascii=False) + "\n")
        self.stdout.flush()

    def request_log(self, line: str) -> None:
        """``--verbose``: one line per HTTP request (the client's RequestLog: no headers, no body)."""
        self._say(line, "dim")
