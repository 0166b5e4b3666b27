"""Tokenizer of the inventory query language (language.py has the grammar).

Token kinds: `clause` (`$filter=` / `$orderby=`), `(`, `)`, `,`, `string` (a quoted literal, unescaped),
`number`, `word` (paths, operators, keywords, function names) and `end`.
String escaping, contract §1.6.2: `''` is one quote, a backslash makes the next character literal;
a bare `*` is the wildcard and an escaped one is rejected (the spec has no way to escape it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class QueryError(ValueError):
    """The query is not valid or uses something the sandbox does not implement (answered with 422)."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int
    value: Any = None
    wildcard: bool = False


_CLAUSE = re.compile(r"\$(filter|orderby)\s*=", re.IGNORECASE)
_NUMBER = re.compile(r"-?\d+(\.\d+)?([fFdD])?(?![\w.!])")
_WORD = re.compile(r"[A-Za-z_@#][\w.!@#\-]*|\d[\w.!@#\-]*")


def _string(text: str, start: int) -> tuple[Token, int]:
    chars: list[str] = []
    wildcard = False
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "'":
            if text[i + 1 : i + 2] == "'":
                chars.append("'")
                i += 2
                continue
            value = "".join(chars)
            return Token("string", text[start : i + 1], start, value, wildcard), i + 1
        if char == "\\":
            if i + 1 >= len(text):
                break
            if text[i + 1] == "*":
                raise QueryError(f"'*' cannot be escaped (position {i}); it is always a wildcard")
            chars.append(text[i + 1])
            i += 2
            continue
        wildcard = wildcard or char == "*"
        chars.append(char)
        i += 1
    raise QueryError(f"unterminated string starting at position {start}")


def _number(match: re.Match[str], pos: int) -> Token:
    literal = match.group(0)
    if match.group(2):
        return Token("number", literal, pos, float(literal[:-1]))
    if match.group(1):
        # The spec: "Decimal numbers have to be specified using a suffix f or d" (`eq 6.6` is invalid).
        raise QueryError(f"decimal number {literal} needs an f or d suffix (position {pos})")
    return Token("number", literal, pos, int(literal))


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "(),":
            tokens.append(Token(char, char, i))
            i += 1
        elif char == "'":
            token, i = _string(text, i)
            tokens.append(token)
        elif char == "$":
            clause = _CLAUSE.match(text, i)
            if clause is None:
                raise QueryError(f"unknown clause at position {i}: only $filter= and $orderby= exist")
            tokens.append(Token("clause", f"${clause.group(1).lower()}=", i))
            i = clause.end()
        elif (number := _NUMBER.match(text, i)) is not None:
            tokens.append(_number(number, i))
            i = number.end()
        elif (word := _WORD.match(text, i)) is not None:
            tokens.append(Token("word", word.group(0), i))
            i = word.end()
        else:
            raise QueryError(f"unexpected character {char!r} at position {i}")
    tokens.append(Token("end", "", len(text)))
    return tokens
