"""The store's ordering and reference indexes, in memory and after reopening the database."""

from __future__ import annotations

from pathlib import Path

from c8ydm.sandbox.core.store import Store


def ids(store: Store, collection: str) -> list[str]:
    return [doc["id"] for doc in store.iter(collection)]


def test_ids_out_of_order_are_kept_sorted_numeric_first_then_by_name(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    for doc_id in ("device_b", "20", "3", "admin", "100", "device_a", "7"):
        store.put("users", doc_id, {"n": doc_id})

    assert ids(store, "users") == ["3", "7", "20", "100", "admin", "device_a", "device_b"]
    assert [doc["id"] for doc in store.scan("users")] == ids(store, "users")

    store.put("users", "20", {"n": "replaced"})  # a replacement keeps its place
    assert store.delete("users", "admin") and not store.delete("users", "admin")
    store.put("users", "5", {})
    assert ids(store, "users") == ["3", "5", "7", "20", "100", "device_a", "device_b"]
    assert store.get("users", "20") == {"n": "replaced", "id": "20"}
    assert store.count("users") == 7

    reopened = Store(tmp_path / "s.db")
    assert ids(reopened, "users") == ids(store, "users")


def test_equal_numeric_ids_keep_insertion_order(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    for doc_id in ("7", "9", "007", "07"):
        store.put("docs", doc_id, {})

    assert ids(store, "docs") == ["7", "007", "07", "9"]
    assert store.delete("docs", "007")
    assert ids(store, "docs") == ["7", "07", "9"]


def test_references_are_unique_in_link_order_both_ways(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    for child in ("30", "10", "20", "10"):
        store.add_ref("1", child, "childAssets")
    store.add_ref("2", "10", "childAssets")

    assert store.children("1", "childAssets") == ["30", "10", "20"]
    assert store.parents("10", "childAssets") == ["1", "2"]
    assert store.remove_ref("1", "10", "childAssets") and not store.remove_ref("1", "10", "childAssets")
    store.add_ref("1", "10", "childAssets")  # linked again: now last
    assert store.children("1", "childAssets") == ["30", "20", "10"]
    assert store.parents("10", "childAssets") == ["2", "1"]

    reopened = Store(tmp_path / "s.db")
    assert reopened.children("1", "childAssets") == ["30", "20", "10"]
    assert reopened.parents("10", "childAssets") == ["2", "1"]
