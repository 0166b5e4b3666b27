"""The store's ordering and reference indexes, in memory and after reopening the database."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_many_documents_at_once_are_merged_into_id_order(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    store.put_many("users", [{"id": "device_b"}, {"id": "7"}])
    store.put_many("users", [{"id": "device_a"}, {"id": "3"}, {"id": "admin"}, {"id": "7", "n": 2}])
    store.put("users", "5", {})

    assert ids(store, "users") == ["3", "5", "7", "admin", "device_a", "device_b"]
    assert store.get("users", "7") == {"id": "7", "n": 2}
    assert store.delete("users", "device_a")
    assert ids(Store(tmp_path / "s.db"), "users") == ["3", "5", "7", "admin", "device_b"]


def test_a_transaction_commits_once_and_rolls_the_database_back_on_an_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    with store.transaction():
        store.put("docs", "1", {})
        with store.transaction():  # nested: part of the outer one
            store.add_refs("1", ["2", "3", "2"], "childAssets")
    with pytest.raises(RuntimeError), store.transaction():
        store.put("docs", "9", {})
        raise RuntimeError("halfway")

    reopened = Store(tmp_path / "s.db")
    assert ids(reopened, "docs") == ["1"]
    assert reopened.children("1", "childAssets") == ["2", "3"]


def test_reserved_ids_are_skipped_by_later_objects(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    first = store.reserve_ids(100)

    assert int(store.next_id()) == first + 100
    assert int(Store(tmp_path / "s.db").next_id()) == first + 101
