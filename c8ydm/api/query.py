"""The inventory query builder (contract §1.6): the only way c8ydm makes a ``query=`` string.

Expressions are small immutable trees rendered exactly as the official UI's query builder does::

    q = (Q.eq("type", "c8y_Firmware") & Q.eq("name", "*abc*")) & Q.not_(Q.has("url"))
    build(filter=q, orderby=[("name", "asc")])
    # $filter=(((type eq 'c8y_Firmware') and (name eq '*abc*')) and (not(has(url)))) $orderby=name asc

``a & b`` and ``a | b`` always make a two-operand node, so chaining nests to the left as the UI does;
``Q.and_(a, b, c)`` / ``Q.or_(a, b, c)`` make one flat node ``(a) and (b) and (c)``. Literals are
escaped (§1.6.2); function arguments and paths cannot be escaped, so unsafe ones are rejected (§1.6.3).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from c8ydm.api.errors import InputError

Value = str | int | float | bool


class QueryError(InputError, ValueError):
    """An argument that cannot be put into an inventory query safely."""


# §1.6.3: no whitespace, quotes, commas, parentheses or brackets (braces too: they are escapes in §1.6.2).
_UNSAFE = re.compile(r"[\s'\",()\[\]{}]")
_DIGITS = re.compile(r"[0-9]+")
# §1.6.1: has()/hasany() do not work on these built-in properties.
_NOT_FRAGMENTS = frozenset({"id", "type", "name", "owner", "creationTime"})
_ORDER_DIRECTIONS = {"asc": "asc", "desc": "desc", "1": "asc", "-1": "desc"}


def escape_literal(value: str) -> str:
    """Escape a literal (§1.6.2): ``'``→``''``, ``\\``→``\\\\``, ``\\`` before ``[{(]})``; never ``*``."""
    value = value.replace("'", "''").replace("\\", "\\\\")
    return re.sub(r"([\[{(\]})])", r"\\\1", value)


def _safe_name(value: str, what: str) -> str:
    if not isinstance(value, str) or not value or _UNSAFE.search(value):
        raise QueryError(
            f"unsafe {what} for an inventory query: {value!r}",
            hint="names may not contain whitespace, quotes, commas, parentheses or brackets",
        )
    return value


def _safe_id(value: str | int) -> str:
    text = str(value)
    if isinstance(value, bool) or not _DIGITS.fullmatch(text):
        raise QueryError(f"not a managed object id: {value!r}", hint="ids are digits only")
    return text


def _fragment(value: str) -> str:
    name = _safe_name(value, "fragment name")
    if name in _NOT_FRAGMENTS:
        raise QueryError(f"has()/hasany() do not work on the built-in property {name!r} (§1.6.1)")
    return name


def _number(value: int | float) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise QueryError(f"not a number: {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise QueryError(f"not a finite number: {value!r}")
    return repr(value) if isinstance(value, float) else str(value)


def _literal(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return "'" + escape_literal(value) + "'"
    raise QueryError(f"unsupported literal: {value!r}")


class Expr:
    """A filter expression. ``&`` / ``|`` glue two operands; see ``Q`` for constructors."""

    def render(self) -> str:
        """The expression text, without the outer ``$filter=( )``."""
        raise NotImplementedError

    def __and__(self, other: Expr) -> Expr:
        return _Glue("and", (self, other))

    def __or__(self, other: Expr) -> Expr:
        return _Glue("or", (self, other))

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True)
class _Text(Expr):
    text: str

    def render(self) -> str:
        return self.text


@dataclass(frozen=True)
class _Glue(Expr):
    glue: str
    operands: tuple[Expr, ...]

    def render(self) -> str:
        if len(self.operands) == 1:
            return self.operands[0].render()
        return f" {self.glue} ".join(f"({operand.render()})" for operand in self.operands)


@dataclass(frozen=True)
class _Not(Expr):
    operand: Expr

    def render(self) -> str:
        return f"not({self.operand.render()})"


class Q:
    """Constructors for query expressions (contract §1.6.1)."""

    @staticmethod
    def eq(path: str, value: Value) -> Expr:
        """``path eq 'value'`` (strings escaped) or ``path eq 5`` (numbers bare)."""
        return _Text(f"{_safe_name(path, 'property path')} eq {_literal(value)}")

    @staticmethod
    def gt(path: str, value: int | float) -> Expr:
        """``path gt 5f``."""
        return _Text(f"{_safe_name(path, 'property path')} gt {_number(value)}f")

    @staticmethod
    def ge(path: str, value: int | float) -> Expr:
        """``path ge 5f``."""
        return _Text(f"{_safe_name(path, 'property path')} ge {_number(value)}f")

    @staticmethod
    def lt(path: str, value: int | float) -> Expr:
        """``path lt 5f``."""
        return _Text(f"{_safe_name(path, 'property path')} lt {_number(value)}f")

    @staticmethod
    def le(path: str, value: int | float) -> Expr:
        """``path le 5f``."""
        return _Text(f"{_safe_name(path, 'property path')} le {_number(value)}f")

    @staticmethod
    def in_(path: str, values: Iterable[Value]) -> Expr:
        """A value list (``__in``): an OR of ``eq``; a single value is a plain ``eq``."""
        items = [Q.eq(path, value) for value in values]
        if not items:
            raise QueryError(f"empty value list for {path!r}")
        return Q.or_(*items)

    @staticmethod
    def has(fragment: str) -> Expr:
        """``has(fragment)``: objects carrying a custom fragment."""
        return _Text(f"has({_fragment(fragment)})")

    @staticmethod
    def hasany(*fragments: str) -> Expr:
        """``hasany(a,b)``: objects carrying any of the fragments."""
        if not fragments:
            raise QueryError("hasany() needs at least one fragment")
        return _Text("hasany(" + ",".join(_fragment(name) for name in fragments) + ")")

    @staticmethod
    def bygroupid(*ids: str | int) -> Expr:
        """``bygroupid(4711)``: objects assigned to a group or, for versions, to their entry."""
        if not ids:
            raise QueryError("bygroupid() needs at least one id")
        return _Text("bygroupid(" + ",".join(_safe_id(value) for value in ids) + ")")

    @staticmethod
    def verbatim(filter_text: str) -> Expr:
        """A filter c8ydm sends unchanged anyway (a user's ``--query``, a dynamic group's query), so
        that it can be combined with built clauses; never for values c8ydm puts into a query."""
        text = filter_text.strip()
        if not text:
            raise QueryError("empty filter")
        return _Text(text)

    @staticmethod
    def not_(operand: Expr) -> Expr:
        """``not(operand)``."""
        return _Not(operand)

    @staticmethod
    def and_(*operands: Expr) -> Expr:
        """One flat AND: ``(a) and (b) and (c)``; a single operand is returned as is."""
        return _flat("and", operands)

    @staticmethod
    def or_(*operands: Expr) -> Expr:
        """One flat OR: ``(a) or (b) or (c)``; a single operand is returned as is."""
        return _flat("or", operands)


def _flat(glue: str, operands: Sequence[Expr]) -> Expr:
    if not operands:
        raise QueryError(f"{glue} needs at least one operand")
    return operands[0] if len(operands) == 1 else _Glue(glue, tuple(operands))


def device_type_clause(device_type: str, *, path: str = "c8y_Filter.type") -> Expr:
    """Firmware, software, profile entries for a device type (§1.6.4): the type, empty, or none."""
    return Q.or_(Q.eq(path, device_type), Q.eq(path, ""), Q.not_(Q.has(path)))


def configuration_device_type_clause(device_type: str) -> Expr:
    """Configuration entries for a device type (§1.6.4): ``deviceType`` equal, or absent."""
    return Q.or_(Q.eq("deviceType", device_type), Q.not_(Q.has("deviceType")))


OrderBy = Sequence[tuple[str, str | int]]


def render_orderby(orderby: OrderBy) -> str:
    """``name asc,creationTime.date desc``; directions ``asc``/``desc`` or the UI's ``1``/``-1``."""
    parts = []
    for path, direction in orderby:
        word = _ORDER_DIRECTIONS.get(str(direction).lower())
        if word is None:
            raise QueryError(f"unknown sort direction: {direction!r}")
        parts.append(f"{_safe_name(path, 'property path')} {word}")
    if not parts:
        raise QueryError("empty sort order")
    return ",".join(parts)


def filter_text(query: str) -> str:
    """The filter of a query string as typed or stored (``$filter=(…) $orderby=…``, or a bare filter
    as ``q=`` takes it): the text after ``$filter=`` without any ``$orderby``; "" when there is none."""
    text = query.strip()
    if text.startswith("$orderby="):
        return ""
    text = text.removeprefix("$filter=")
    return text.split(" $orderby=", 1)[0].strip()


def build(filter: Expr | None = None, *, orderby: OrderBy | None = None) -> str:
    """The ``query=`` value: ``$filter=(…)``, ``$filter=(…) $orderby=…`` or ``$orderby=…`` (§1.6.1)."""
    parts = []
    if filter is not None:
        parts.append(f"$filter=({filter.render()})")
    if orderby:
        parts.append(f"$orderby={render_orderby(orderby)}")
    return " ".join(parts)
