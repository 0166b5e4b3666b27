"""The bulk-registration CSV (contract §12.6): checked locally before the one upload, and templates.

Checked: UTF-8 text, a header with an ``ID`` column and no duplicate columns, the separator (tab,
``;`` or ``,``, detected from the header as the platform does), and per row (with its line number):
the number of values, a non-empty ``ID`` unique in the file, ``CREDENTIALS`` meeting §12.4's rules
unless ``AUTH_TYPE=CERTIFICATES``, ``ICCID``/``IDTYPE``/``PATH``/``SHELL`` only with ``TYPE`` and
``NAME``. A file without ``CREDENTIALS`` and ``AUTH_TYPE`` columns is the "simple" kind: it creates
new device requests that still need acceptance. Passwords never appear in any message.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from c8ydm.api.errors import InputError
from c8ydm.procedures.credentials.access import PASSWORD_RULES, meets_password_rules

SEPARATORS = ("\t", ";", ",")
DEFAULT_ID_TYPE = "c8y_Serial"
KNOWN_COLUMNS = frozenset(
    {"ID", "CREDENTIALS", "AUTH_TYPE", "TENANT", "TYPE", "NAME", "ICCID", "IDTYPE", "PATH", "SHELL",
     "ENROLLMENT_OTP"}
)  # fmt: skip
NEEDS_TYPE_AND_NAME = ("ICCID", "IDTYPE", "PATH", "SHELL")
_FULL = ("ID", "TYPE", "NAME", "ICCID", "IDTYPE", "PATH", "SHELL", "AUTH_TYPE", "CREDENTIALS")
# The UI's templates: ";" separated, quoted headers (§12.6).
TEMPLATES: dict[str, tuple[str, ...]] = {
    "simple": ("ID", "PATH"),
    "full": _FULL,
    "certificate": (*_FULL, "ENROLLMENT_OTP"),
}
_BAD_USER_CHARACTERS = set(" \t/+$:")  # §12: a user name has no whitespace, /, +, $ or :
SHOWN_ERRORS = 5


@dataclass(frozen=True)
class CsvRow:
    """One device row; ``password`` is kept only to scrub it from the tenant's failure reasons."""

    line: int
    external_id: str
    id_type: str
    has_device: bool
    password: str = field(default="", repr=False)
    text: str = field(default="", repr=False)  # the row's own line(s) of the file, as written


@dataclass(frozen=True)
class RegistrationFile:
    """A checked registration CSV: its bytes as they are sent, and its rows."""

    name: str
    data: bytes = field(repr=False)
    rows: list[CsvRow]
    is_simple: bool
    header_text: str = field(default="", repr=False)

    def secrets(self) -> list[str]:
        """The passwords of the file (to scrub from any text the tenant sends back)."""
        return [row.password for row in self.rows if row.password]

    def subset(self, rows: list[CsvRow]) -> RegistrationFile:
        """The same file with only these rows (the header and their lines as written)."""
        text = self.header_text + "".join(row.text for row in rows)
        return parse_registration(self.name, text.encode("utf-8"))


def template(kind: str) -> str:
    """The UI's empty template of that kind: one quoted, ``;``-separated header line."""
    return ";".join(f'"{column}"' for column in TEMPLATES[kind]) + "\n"


def detect_separator(header: str) -> str:
    """The separator splitting the header most often outside quotes; tab, then ``;``, wins a tie."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(SEPARATORS, key=lambda sep: counts[sep])


def _header(values: list[str]) -> list[str]:
    names = [value.strip() for value in values]
    names = [name.upper() if name.upper() in KNOWN_COLUMNS else name for name in names]
    if "ID" not in names:
        raise InputError("the CSV header has no ID column", hint="c8ydm credentials register --template full")
    duplicates = sorted({name for name in names if name and names.count(name) > 1})
    if duplicates:
        raise InputError(f"the CSV header repeats the column(s) {', '.join(duplicates)}")
    return names


def _row_errors(row: dict[str, str], *, is_simple: bool) -> list[str]:
    errors = []
    external_id = row.get("ID", "")
    if not external_id:
        errors.append("ID is empty")
    elif not is_simple and _BAD_USER_CHARACTERS & set(external_id):
        errors.append("ID cannot contain whitespace, '/', '+', '$' or ':' (it names the device user)")
    has_device = bool(row.get("TYPE")) and bool(row.get("NAME"))
    used = [column for column in NEEDS_TYPE_AND_NAME if row.get(column)]
    if used and not has_device and not is_simple:  # the simple template's PATH needs no device
        errors.append(f"{', '.join(used)} need TYPE and NAME")
    if row.get("SHELL", "") not in ("", "0", "1"):
        errors.append("SHELL must be 1, 0 or empty")
    if row.get("PATH") and not row["PATH"].strip(" /"):
        errors.append("PATH names no group")
    auth = row.get("AUTH_TYPE", "").upper()
    if auth not in ("", "BASIC", "CERTIFICATES"):
        errors.append("AUTH_TYPE must be BASIC or CERTIFICATES")
    elif not is_simple and auth != "CERTIFICATES":
        password = row.get("CREDENTIALS", "")
        if not password:
            errors.append("CREDENTIALS are mandatory unless AUTH_TYPE is CERTIFICATES")
        elif not meets_password_rules(password):
            errors.append(f"CREDENTIALS do not meet the password rules ({PASSWORD_RULES})")
    return errors


def _extra_ids(row: dict[str, str]) -> list[tuple[str, str]]:
    """The ``external-<type>`` ids of a row as (type, value)."""
    return [(name[len("external-") :], value) for name, value in row.items()
            if name.lower().startswith("external-") and value]  # fmt: skip


def _duplicates(line: int, ids: list[tuple[str, str]], seen: dict[tuple[str, str], int]) -> list[str]:
    """Errors for external ids (ID and external-<type> columns) already used on an earlier line."""
    errors = []
    for key in ids:
        if key[1] and key in seen:
            errors.append(f"line {line}: external id {key[1]} ({key[0]}) is also on line {seen[key]}")
        seen.setdefault(key, line)
    return errors


def read_registration_csv(path: Path) -> RegistrationFile:
    """Read and check a registration CSV; every problem found is exit 2, before any request."""
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    return parse_registration(path.name, path.read_bytes())


def parse_registration(name: str, data: bytes) -> RegistrationFile:
    """Check a registration CSV's bytes (see the module docstring); problems are InputError (exit 2)."""
    try:
        text = data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        raise InputError(f"{name} is not UTF-8 text", hint="save the CSV as UTF-8") from None
    lines = io.StringIO(text, newline="").readlines()  # split exactly as the csv reader reads
    if not lines or not lines[0].strip():
        raise InputError(f"{name} is empty: the first line must be the header")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_separator(lines[0]))
    header = _header(next(reader))
    header_end = reader.line_num
    is_simple = "CREDENTIALS" not in header and "AUTH_TYPE" not in header
    rows: list[CsvRow] = []
    errors: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    previous_end = header_end
    for values in reader:
        line, start, previous_end = reader.line_num, previous_end, reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            errors.append(f"line {line}: {len(values)} values, the header has {len(header)} columns")
            continue
        row = {name: value.strip() for name, value in zip(header, values, strict=True) if name}
        errors += [f"line {line}: {problem}" for problem in _row_errors(row, is_simple=is_simple)]
        key = (row.get("IDTYPE") or DEFAULT_ID_TYPE, row.get("ID", ""))
        errors += _duplicates(line, [key, *_extra_ids(row)], seen)
        has_device = bool(row.get("TYPE")) and bool(row.get("NAME"))
        raw = "".join(lines[start:line])
        rows.append(CsvRow(line, key[1], key[0], has_device, row.get("CREDENTIALS", ""), raw))
    if errors:
        more = f"; and {len(errors) - SHOWN_ERRORS} more" if len(errors) > SHOWN_ERRORS else ""
        raise InputError(
            f"{name}: {len(errors)} problem(s): {'; '.join(errors[:SHOWN_ERRORS])}{more}",
            hint="fix the file; nothing was sent",
        )
    if not rows:
        raise InputError(f"{name} has a header but no device rows")
    return RegistrationFile(name, data, rows, is_simple, "".join(lines[:header_end]))
