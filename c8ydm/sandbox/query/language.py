"""The inventory query language: tokenizer, parser and evaluator (contract §1.6, spec "Query language").

    query   := ["$filter="] expr [" $orderby=" order]  |  "$orderby=" order      (either clause first)
    expr    := term {"or" term};  term := unary {"and" unary}
    unary   := "not" unary | "(" expr ")" | function | path op literal
    function:= has(path) | hasany(path{,path}) | bygroupid(id{,id}) | isinhierarchyof(id{,id})
    op      := eq | gt | ge | lt | le
    order   := path ["asc"|"desc"] {"," path ["asc"|"desc"]}

Semantics, from the spec and the contract:
- `eq` with a quoted string is case-sensitive; a `*` in it is a wildcard (0..n characters) and the match
  is then case-insensitive (§1.6.2). Inside quotes `''` is a quote and a backslash escapes the next
  character (`\\\\`, `\\(`, `\\[` ...). `*` cannot be escaped, so `\\*` is rejected rather than guessed.
- Arrays match when any element matches, also through paths (`customers.id eq '1'`).
- Numbers: integers are numbers; decimals need the `f` or `d` suffix (`16.5d`); the spec calls a bare
  decimal (`eq 6.6`) an invalid query, so it is rejected.
- `creationTime.date` and `lastUpdated.date` mean those timestamps; quoted dates compare as instants.
- `has()`/`hasany()` reject standard properties (id, type, name, ...), which the spec says they do not
  support. `bygroupid(g)` matches child assets, child additions and child devices of `g` (groups hold
  their members as child assets; repository versions are child additions of their entry, §1.6.3).
Anything else raises `QueryError`, which the inventory answers with 422 `inventory/invalidQuery`:
never a silently wrong result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from c8ydm.sandbox.query.lexer import QueryError, Token, tokenize
from c8ydm.sandbox.query.paths import Order, sort_documents, values_at

__all__ = ["Order", "Query", "QueryError", "parse_query", "sort_documents"]

Predicate = Callable[[dict[str, Any]], bool]
# Resolves bygroupid / isinhierarchyof arguments to the set of matching object ids.
GroupResolver = Callable[[str, list[str]], set[str]]

STANDARD_PROPERTIES = frozenset(
    {
        "id",
        "type",
        "name",
        "self",
        "lastUpdated",
        "owner",
        "creationTime",
        "supportedMeasurements",
        "childAssets",
        "childDevices",
        "childAdditions",
        "externalIds",
    }
)
_DATE_ALIASES = {"creationTime.date": "creationTime", "lastUpdated.date": "lastUpdated", "_id": "id"}


@dataclass(frozen=True)
class Query:
    predicate: Predicate | None
    order: tuple[Order, ...]


def canonical_path(path: str) -> str:
    return _DATE_ALIASES.get(path, path)


class _Parser:
    def __init__(self, tokens: list[Token], groups: GroupResolver) -> None:
        self.tokens = tokens
        self.pos = 0
        self.groups = groups

    def peek(self, offset: int = 0) -> Token:
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def take(self, kind: str, text: str | None = None) -> Token:
        token = self.peek()
        if token.kind != kind or (text is not None and token.text.lower() != text):
            wanted = text or kind
            raise QueryError(f"expected {wanted} at position {token.pos}, found {token.text or 'end'!r}")
        self.pos += 1
        return token

    def is_word(self, *words: str) -> bool:
        token = self.peek()
        return token.kind == "word" and token.text.lower() in words

    def expr(self) -> Predicate:
        terms = [self.term()]
        while self.is_word("or"):
            self.pos += 1
            terms.append(self.term())
        return terms[0] if len(terms) == 1 else (lambda doc: any(t(doc) for t in terms))

    def term(self) -> Predicate:
        factors = [self.unary()]
        while self.is_word("and"):
            self.pos += 1
            factors.append(self.unary())
        return factors[0] if len(factors) == 1 else (lambda doc: all(f(doc) for f in factors))

    def unary(self) -> Predicate:
        if self.is_word("not"):
            self.pos += 1
            inner = self.unary()
            return lambda doc: not inner(doc)
        if self.peek().kind == "(":
            self.pos += 1
            inner = self.expr()
            self.take(")")
            return inner
        if self.peek().kind == "word" and self.peek(1).kind == "(":
            return self.function()
        return self.comparison()

    def argument(self) -> str:
        token = self.peek()
        if token.kind not in ("word", "number"):
            raise QueryError(f"expected a function argument at position {token.pos}")
        self.pos += 1
        return token.text

    def arguments(self) -> list[str]:
        self.take("(")
        args = [self.argument()]
        while self.peek().kind == ",":
            self.pos += 1
            args.append(self.argument())
        self.take(")")
        return args

    def function(self) -> Predicate:
        name = self.take("word").text.lower()
        args = self.arguments()
        if name in ("has", "hasany"):
            if name == "has" and len(args) != 1:
                raise QueryError("has() accepts exactly one argument")
            for arg in args:
                if arg.split(".")[0] in STANDARD_PROPERTIES:
                    raise QueryError(f"{name}() supports only custom fragments, not {arg!r}")
            return lambda doc: any(values_at(doc, arg) for arg in args)
        if name in ("bygroupid", "isinhierarchyof"):
            if not all(arg.isdigit() for arg in args):
                raise QueryError(f"{name}() accepts only managed object ids")
            members = self.groups(name, args)
            return lambda doc: doc.get("id") in members
        raise QueryError(f"unsupported function {name}()")

    def comparison(self) -> Predicate:
        path = canonical_path(self.take("word").text)
        operator = self.take("word").text.lower()
        literal = self.peek()
        if literal.kind not in ("string", "number", "word"):
            raise QueryError(f"expected a value at position {literal.pos}")
        self.pos += 1
        if operator == "eq":
            return _equals(path, literal)
        if operator in ("gt", "ge", "lt", "le"):
            return _compare(path, operator, literal)
        raise QueryError(f"unsupported operator {operator!r}")

    def order(self) -> tuple[Order, ...]:
        keys = []
        while True:
            path = canonical_path(self.take("word").text)
            descending = False
            if self.is_word("asc", "desc"):
                descending = self.take("word").text.lower() == "desc"
            keys.append(Order(path, descending))
            if self.peek().kind != ",":
                return tuple(keys)
            self.pos += 1


def _literal_value(token: Token) -> Any:
    if token.kind == "string":
        return token.value
    if token.kind == "word":
        if token.text in ("true", "false"):
            return token.text == "true"
        raise QueryError(f"unquoted value {token.text!r}: quote strings")
    return token.value


def _equals(path: str, token: Token) -> Predicate:
    expected = _literal_value(token)
    if token.kind == "string" and token.wildcard:
        pattern = re.compile(".*".join(re.escape(part) for part in str(expected).split("*")), re.I | re.S)
        return lambda doc: any(isinstance(v, str) and pattern.fullmatch(v) for v in values_at(doc, path))
    if isinstance(expected, bool):
        return lambda doc: any(v is expected for v in values_at(doc, path))
    if isinstance(expected, (int, float)):
        text = token.text

        def number_eq(doc: dict[str, Any]) -> bool:
            return any((v == expected and not isinstance(v, bool)) or v == text for v in values_at(doc, path))

        return number_eq
    return lambda doc: any(v == expected for v in values_at(doc, path))


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: bool(a > b),
    "ge": lambda a, b: bool(a >= b),
    "lt": lambda a, b: bool(a < b),
    "le": lambda a, b: bool(a <= b),
}


def _compare(path: str, operator: str, token: Token) -> Predicate:
    expected = _literal_value(token)
    op = _OPS[operator]
    if isinstance(expected, bool):
        raise QueryError(f"{operator} needs a number or a string")
    if path == "id" and isinstance(expected, str) and expected.isdigit():
        number = int(expected)  # ids are numeric strings; keyset paging compares them as numbers
        return lambda doc: str(doc.get("id", "")).isdigit() and op(int(doc["id"]), number)
    if isinstance(expected, str):
        return lambda doc: any(isinstance(v, str) and op(v, expected) for v in values_at(doc, path))

    def number_compare(doc: dict[str, Any]) -> bool:
        return any(_is_number(v) and op(v, expected) for v in values_at(doc, path))

    return number_compare


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def parse_query(text: str, groups: GroupResolver) -> Query:
    """Parse a `query=` value; `groups(function, ids)` resolves bygroupid / isinhierarchyof."""
    parser = _Parser(tokenize(text), groups)
    predicate: Predicate | None = None
    order: tuple[Order, ...] = ()
    seen: set[str] = set()
    while parser.peek().kind != "end":
        token = parser.peek()
        if token.kind == "clause":
            if token.text in seen:
                raise QueryError(f"{token.text} given twice")
            seen.add(token.text)
            parser.pos += 1
            if token.text == "$filter=":
                predicate = parser.expr()
            else:
                order = parser.order()
        elif not seen:
            seen.add("$filter=")  # the spec's bare form: `query=name eq 'M01'`
            predicate = parser.expr()
        else:
            raise QueryError(f"unexpected {token.text!r} at position {token.pos}")
    return Query(predicate, order)
