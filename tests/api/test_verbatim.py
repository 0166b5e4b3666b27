"""verbatim.decode_page: a page decoded as json.loads does, each listed object keeping its text."""

from __future__ import annotations

import json

import pytest

from c8ydm.api.verbatim import Verbatim, decode_page, single_line

COMPACT = (
    '{"self":"u","managedObjects":[{"id":"1","name":"caf\\u00e9 \\u001b[31m","c8y_List":[{"a":[1,2]}],'
    '"n":null},{"id":"2","name":"b\\"q\\\\","x":{"managedObjects":[]}}],'
    '"statistics":{"currentPage":1,"pageSize":2,"totalPages":1}}'
)


def test_a_page_decodes_as_json_loads_does_and_each_object_keeps_its_exact_text() -> None:
    page = decode_page(COMPACT.encode(), "managedObjects")

    assert page == json.loads(COMPACT)
    objects = page["managedObjects"]
    assert all(type(item) is Verbatim for item in objects)
    assert [single_line(item) for item in objects] == [
        '{"id":"1","name":"caf\\u00e9 \\u001b[31m","c8y_List":[{"a":[1,2]}],"n":null}',
        '{"id":"2","name":"b\\"q\\\\","x":{"managedObjects":[]}}',
    ]
    assert type(objects[1]["x"]) is dict  # only the listed objects themselves carry text
    assert list(page) == ["self", "managedObjects", "statistics"]


def test_whitespace_anywhere_decodes_the_same_and_an_object_over_several_lines_is_not_verbatim_output() -> (
    None
):
    pretty = json.dumps(json.loads(COMPACT), indent=2)
    spaced = ' \n{ "managedObjects" : [ {"id": "1"} , 7, [] ] , "statistics" : {} } \r\n'

    assert decode_page(pretty, "managedObjects") == json.loads(pretty)
    assert [single_line(item) for item in decode_page(pretty, "managedObjects")["managedObjects"]] == [
        None,
        None,
    ]
    decoded = decode_page(spaced, "managedObjects")
    assert decoded == json.loads(spaced)
    assert [single_line(item) for item in decoded["managedObjects"]] == ['{"id": "1"}', None, None]


def test_a_page_without_the_key_or_with_an_empty_array_is_plain() -> None:
    assert decode_page(b'{"managedObjects":[],"next":"n"}', "managedObjects") == {
        "managedObjects": [],
        "next": "n",
    }
    assert decode_page(b'{"operations":[{"id":"1"}]}', "managedObjects") == {"operations": [{"id": "1"}]}
    assert type(decode_page(b'{"operations":[{"id":"1"}]}', "managedObjects")["operations"][0]) is dict
    assert decode_page(b"{}", "managedObjects") == {}


@pytest.mark.parametrize(
    "body",
    [
        b'{"managedObjects":[{"id":"1"},]}',
        b'{"managedObjects":[{"id":"1"}]} extra',
        b'{"a":1',
        b"\xff{}",
        b"",
    ],
)
def test_what_json_loads_refuses_is_refused_with_its_own_error(body: bytes) -> None:
    with pytest.raises(ValueError) as expected:
        json.loads(body)

    with pytest.raises(ValueError) as refused:
        decode_page(body, "managedObjects")
    assert str(refused.value) == str(expected.value)


def test_a_body_that_is_not_an_object_is_what_json_loads_gives() -> None:
    assert decode_page(b'[{"id":"1"}]', "managedObjects") == [{"id": "1"}]
    assert decode_page(b"null", "managedObjects") is None


def test_a_plain_dict_or_a_changed_copy_is_never_written_as_source_text() -> None:
    item = decode_page(b'{"managedObjects":[{"id":"1"}]}', "managedObjects")["managedObjects"][0]

    assert single_line(dict(item)) is None
    assert single_line({"id": "1"}) is None
    assert single_line(item) == '{"id":"1"}'
