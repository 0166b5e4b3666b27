"""Paths and ordering of the inventory query language: MongoDB-like value lookup and $orderby."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Order:
    path: str
    descending: bool


def values_at(doc: Any, path: str) -> list[Any]:
    """All values at a dotted path, descending into arrays like MongoDB does."""
    current = [doc]
    for part in path.split("."):
        following: list[Any] = []
        for value in current:
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict) and part in item:
                    following.append(item[part])
        current = following
    expanded: list[Any] = []
    for value in current:
        expanded.extend(value if isinstance(value, list) else [value])
        if isinstance(value, list):
            expanded.append(value)
    return expanded


def _sort_value(doc: dict[str, Any], path: str) -> tuple[int, Any]:
    # MongoDB's type order: missing < numbers < strings < objects < arrays < booleans.
    if path == "id":
        doc_id = str(doc.get("id", ""))
        return (1, int(doc_id)) if doc_id.isdigit() else (2, doc_id)
    found = values_at(doc, path)
    if not found:
        return (0, 0)
    value = found[0]
    if isinstance(value, bool):
        return (5, value)
    if isinstance(value, (int, float)):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    return (3, repr(value)) if isinstance(value, dict) else (4, repr(value))


def sort_documents(docs: list[dict[str, Any]], order: tuple[Order, ...]) -> list[dict[str, Any]]:
    """Sort documents (given in id order) by the $orderby keys, ties broken by id in the direction
    of the first key, so "newest first" stays newest first for objects created in the same millisecond."""
    result = list(reversed(docs)) if order and order[0].descending else list(docs)
    for key in reversed(order):
        path = key.path

        def sort_key(doc: dict[str, Any], path: str = path) -> tuple[int, Any]:
            return _sort_value(doc, path)

        result.sort(key=sort_key, reverse=key.descending)
    return result
