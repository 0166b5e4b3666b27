"""Collection pages whose items keep the exact JSON text the tenant sent for them.

A ``device list -o jsonl`` of 100,000 devices only passes the tenant's objects through: decoding
each page is needed (names, counts, the next page), but encoding every object again is not. The
page is decoded as ``json.loads`` would, except that each object of the collection's array comes
as a :class:`Verbatim`: the same dict, with its source text in ``text`` (the C scanner gives each
object's end, so the text costs a slice, not a second pass). Writing ``text`` instead of encoding
the dict halves the CPU a listing spends per page (issue 13).

Anything unexpected (not an object at the top, invalid JSON) falls back to ``json.loads``, which
gives the plain result or the usual error.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
_SPACE_CHARS = " \t\n\r"


def _skip(text: str, at: int) -> int:
    """The index of the first character at or after ``at`` that is not JSON whitespace."""
    if at < len(text) and text[at] in _SPACE_CHARS:
        found = _SPACE.match(text, at)
        return found.end() if found is not None else at
    return at


class Verbatim(dict[str, Any]):
    """A JSON object as decoded, with ``text``: exactly the characters the tenant sent for it.

    ``text`` describes the object as it arrived: code that changes the dict must not write
    ``text`` out (nothing in c8ydm changes a listed object; views copy what they show).
    """

    __slots__ = ("text",)
    text: str


def single_line(item: Any) -> str | None:
    """The item's source text when it is a :class:`Verbatim` that fits on one line, else None."""
    if type(item) is Verbatim and "\n" not in item.text and "\r" not in item.text:
        return item.text
    return None


def decode_page(content: bytes | str, key: str) -> Any:
    """``json.loads(content)``, with each object of the array under ``key`` a :class:`Verbatim`."""
    try:
        return _page(content.decode("utf-8") if isinstance(content, bytes) else content, key)
    except (ValueError, IndexError, TypeError):  # UnicodeDecodeError is a ValueError
        return json.loads(content)  # the plain answer, or json's own error


def _page(text: str, key: str) -> dict[str, Any]:
    at = _skip(text, 0)
    if text[at] != "{":
        raise ValueError("not an object")
    page: dict[str, Any] = {}
    at = _skip(text, at + 1)
    if text[at] == "}":
        return _ended(text, at, page)
    while True:
        if text[at] != '"':
            raise ValueError("expected a name")
        name, at = scanstring(text, at + 1)
        at = _skip(text, at)
        if text[at] != ":":
            raise ValueError("expected ':'")
        at = _skip(text, at + 1)
        if name == key and text[at] == "[":
            page[name], at = _objects(text, at)
        else:
            page[name], at = _DECODER.raw_decode(text, at)
        at = _skip(text, at)
        if text[at] == "}":
            return _ended(text, at, page)
        if text[at] != ",":
            raise ValueError("expected ',' or '}'")
        at = _skip(text, at + 1)


def _objects(text: str, at: int) -> tuple[list[Any], int]:
    """The array starting at ``text[at] == "["``, objects as Verbatim; and the index after it.

    The C scanner is called directly (``raw_decode`` only wraps it), once per element; its
    StopIteration (no value at ``at``) is a ValueError for the caller's fallback."""
    scan = _DECODER.scan_once  # type: ignore[attr-defined]  # set in JSONDecoder.__init__
    items: list[Any] = []
    append = items.append
    at = _skip(text, at + 1)
    if text[at] == "]":
        return items, at + 1
    while True:
        try:
            value, end = scan(text, at)
        except StopIteration:
            raise ValueError("expected a value") from None
        if type(value) is dict:
            item = Verbatim(value)
            item.text = text[at:end]
            value = item
        append(value)
        after = text[end]  # compact JSON (Cumulocity's) has no space around the commas
        if after in _SPACE_CHARS:
            end = _skip(text, end)
            after = text[end]
        if after == ",":
            at = end + 1
            if text[at] in _SPACE_CHARS:
                at = _skip(text, at)
        elif after == "]":
            return items, end + 1
        else:
            raise ValueError("expected ',' or ']'")


def _ended(text: str, at: int, page: dict[str, Any]) -> dict[str, Any]:
    if _skip(text, at + 1) != len(text):
        raise ValueError("extra data")
    return page
