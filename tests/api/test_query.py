"""The inventory query builder reproduces the contract's query strings byte for byte (§1.6, §14(c))."""

from __future__ import annotations

import pytest

from c8ydm.api.errors import InputError
from c8ydm.api.query import (
    Q,
    QueryError,
    build,
    configuration_device_type_clause,
    device_type_clause,
    escape_literal,
)

NAME_ASC = [("name", "asc")]
NEWEST = [("creationTime.date", "desc")]


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("Bob's firmware", "'Bob''s firmware'"),
        ("fw [beta] (v2)", r"'fw \[beta\] \(v2\)'"),
        ("C:\\firmware\\{x}", r"'C:\\firmware\\\{x\}'"),
        ("O'Brien (test)\\1", r"'O''Brien \(test\)\\1'"),
        ("ubuntu*", "'ubuntu*'"),
    ],
)
def test_literals_are_escaped_as_in_the_contract_table(value: str, literal: str) -> None:
    assert Q.eq("name", value).render() == f"name eq {literal}"
    assert "'" + escape_literal(value) + "'" == literal


def test_escaped_name_in_a_firmware_list_query() -> None:
    query = build(Q.eq("type", "c8y_Firmware") & Q.eq("name", "a'b[c]"), orderby=NAME_ASC)
    assert query == r"$filter=((type eq 'c8y_Firmware') and (name eq 'a''b\[c\]')) $orderby=name asc"


def test_single_operand_is_not_wrapped() -> None:
    assert (
        build(Q.eq("type", "c8y_Firmware"), orderby=NAME_ASC)
        == "$filter=(type eq 'c8y_Firmware') $orderby=name asc"
    )


def test_chained_and_nests_to_the_left() -> None:
    query = (Q.eq("type", "c8y_Firmware") & Q.eq("name", "*abc*")) & Q.not_(Q.has("url"))
    assert (
        build(query, orderby=NAME_ASC)
        == "$filter=(((type eq 'c8y_Firmware') and (name eq '*abc*')) and (not(has(url)))) $orderby=name asc"
    )


def test_base_versions_of_an_entry() -> None:
    query = build(Q.not_(Q.has("c8y_Patch")) & Q.bygroupid("4711"), orderby=NEWEST)
    assert query == "$filter=((not(has(c8y_Patch))) and (bygroupid(4711))) $orderby=creationTime.date desc"


def test_profiles_for_a_device_type_with_software_types() -> None:
    query = Q.eq("type", "c8y_Profile") & (
        device_type_clause("c8y_Linux") & Q.hasany("softwareType!apt", "softwareType!docker")
    )
    assert build(query) == (
        "$filter=((type eq 'c8y_Profile') and (((c8y_Filter.type eq 'c8y_Linux') or (c8y_Filter.type eq '') "
        "or (not(has(c8y_Filter.type)))) and (hasany(softwareType!apt,softwareType!docker))))"
    )


def test_device_type_clauses_of_section_1_6_4() -> None:
    assert f"({device_type_clause('T').render()})" == (
        "((c8y_Filter.type eq 'T') or (c8y_Filter.type eq '') or (not(has(c8y_Filter.type))))"
    )
    assert f"({configuration_device_type_clause('T').render()})" == (
        "((deviceType eq 'T') or (not(has(deviceType))))"
    )


def test_firmware_list_queries_of_section_3_1() -> None:
    device_filter = Q.eq("c8y_Filter.type", "T") | (
        Q.not_(Q.has("c8y_Filter.type")) | Q.eq("c8y_Filter.type", "")
    )
    assert f"({device_filter.render()})" == (
        "((c8y_Filter.type eq 'T') or ((not(has(c8y_Filter.type))) or (c8y_Filter.type eq '')))"
    )
    grid = Q.eq("name", "ubuntu*") & Q.eq("type", "c8y_Firmware")
    assert (
        build(grid, orderby=NAME_ASC)
        == "$filter=((name eq 'ubuntu*') and (type eq 'c8y_Firmware')) $orderby=name asc"
    )
    assert build(Q.not_(Q.has("c8y_Patch")) & Q.bygroupid(42), orderby=NEWEST) == (
        "$filter=((not(has(c8y_Patch))) and (bygroupid(42))) $orderby=creationTime.date desc"
    )


def test_entry_queries_of_section_3_2() -> None:
    assert (
        build(Q.bygroupid("42"), orderby=NEWEST) == "$filter=(bygroupid(42)) $orderby=creationTime.date desc"
    )
    patches = Q.eq("c8y_Patch.dependency", "1.0") & Q.bygroupid("42")
    assert build(patches, orderby=NEWEST) == (
        "$filter=((c8y_Patch.dependency eq '1.0') and (bygroupid(42))) $orderby=creationTime.date desc"
    )
    base_and_patches = (Q.eq("c8y_Patch.dependency", "X") | Q.eq("c8y_Firmware.version", "X")) & Q.bygroupid(
        "42"
    )
    order: list[tuple[str, str | int]] = [("c8y_Patch.dependency", "asc"), ("c8y_Firmware.version", 1)]
    assert build(base_and_patches, orderby=order) == (
        "$filter=(((c8y_Patch.dependency eq 'X') or (c8y_Firmware.version eq 'X')) and (bygroupid(42))) "
        "$orderby=c8y_Patch.dependency asc,c8y_Firmware.version asc"
    )


def test_reconcile_lookups_of_section_3_3_use_a_flat_and() -> None:
    assert build(Q.and_(Q.eq("type", "c8y_Firmware"), Q.eq("name", "fw"))) == (
        "$filter=((type eq 'c8y_Firmware') and (name eq 'fw'))"
    )
    version = Q.and_(
        Q.eq("type", "c8y_FirmwareBinary"),
        Q.not_(Q.has("c8y_Patch")),
        Q.eq("c8y_Firmware.version", "1.0"),
        Q.bygroupid("42"),
    )
    assert build(version) == (
        "$filter=((type eq 'c8y_FirmwareBinary') and (not(has(c8y_Patch))) and "
        "(c8y_Firmware.version eq '1.0') and (bygroupid(42)))"
    )


def test_known_software_types_query_of_section_4() -> None:
    query = build(
        Q.has("softwareType") & Q.eq("type", "c8y_Software"),
        orderby=[("name", "asc"), ("softwareType", "asc")],
    )
    assert (
        query
        == "$filter=((has(softwareType)) and (type eq 'c8y_Software')) $orderby=name asc,softwareType asc"
    )


def test_installable_firmware_queries_of_section_6() -> None:
    base = (Q.eq("type", "c8y_Firmware") & device_type_clause("T")) & Q.eq("type", "c8y_Firmware")
    clause = "((c8y_Filter.type eq 'T') or (c8y_Filter.type eq '') or (not(has(c8y_Filter.type))))"
    assert build(base, orderby=NAME_ASC) == (
        f"$filter=(((type eq 'c8y_Firmware') and {clause}) and (type eq 'c8y_Firmware')) $orderby=name asc"
    )
    assert build(base & Q.eq("name", "*abc*"), orderby=NAME_ASC) == (
        f"$filter=((((type eq 'c8y_Firmware') and {clause}) and (type eq 'c8y_Firmware')) "
        "and (name eq '*abc*')) $orderby=name asc"
    )


def test_installed_firmware_lookup_of_section_6() -> None:
    version = Q.and_(
        Q.eq("c8y_Firmware.version", "1.0"), Q.eq("c8y_Firmware.url", "u"), Q.eq("type", "c8y_FirmwareBinary")
    )
    legacy = Q.and_(Q.eq("url", "u"), Q.eq("type", "c8y_Firmware"), Q.eq("name", "fw"))
    assert build(version | legacy) == (
        "$filter=(((c8y_Firmware.version eq '1.0') and (c8y_Firmware.url eq 'u') "
        "and (type eq 'c8y_FirmwareBinary')) or ((url eq 'u') and (type eq 'c8y_Firmware') "
        "and (name eq 'fw')))"
    )


def test_installable_software_query_of_section_7_3() -> None:
    query = (
        (Q.eq("type", "c8y_Software") & device_type_clause("c8y_Linux")) & Q.eq("type", "c8y_Software")
    ) & Q.in_("softwareType", ["apt", "docker"])
    assert build(query) == (
        "$filter=((((type eq 'c8y_Software') and ((c8y_Filter.type eq 'c8y_Linux') "
        "or (c8y_Filter.type eq '') or (not(has(c8y_Filter.type))))) and (type eq 'c8y_Software')) "
        "and ((softwareType eq 'apt') or (softwareType eq 'docker')))"
    )


def test_configuration_snapshots_query_of_section_8_3() -> None:
    configuration_type = Q.or_(
        Q.eq("configurationType", "CT"), Q.eq("configurationType", ""), Q.not_(Q.has("configurationType"))
    )
    query = (
        (Q.eq("type", "c8y_ConfigurationDump") & configuration_device_type_clause("T")) & configuration_type
    ) & Q.eq("type", "c8y_ConfigurationDump")
    assert build(query, orderby=NAME_ASC) == (
        "$filter=((((type eq 'c8y_ConfigurationDump') and ((deviceType eq 'T') or (not(has(deviceType))))) "
        "and ((configurationType eq 'CT') or (configurationType eq '') or (not(has(configurationType))))) "
        "and (type eq 'c8y_ConfigurationDump')) $orderby=name asc"
    )


def test_profile_picker_clause_of_section_9_1() -> None:
    clause = Q.eq("c8y_Filter.type", "t") | (Q.eq("c8y_Filter.type", "") | Q.not_(Q.has("c8y_Filter.type")))
    assert f"({clause.render()})" == (
        "((c8y_Filter.type eq 't') or ((c8y_Filter.type eq '') or (not(has(c8y_Filter.type)))))"
    )


def test_candidate_profiles_query_of_section_9_2() -> None:
    query = Q.eq("type", "c8y_Profile") & (
        device_type_clause("c8y_Linux") & Q.hasany("softwareType!apt", "softwareType!docker")
    )
    assert build(query) == (
        "$filter=((type eq 'c8y_Profile') and (((c8y_Filter.type eq 'c8y_Linux') or (c8y_Filter.type eq '') "
        "or (not(has(c8y_Filter.type)))) and (hasany(softwareType!apt,softwareType!docker))))"
    )


def test_device_query_of_section_11_3_and_orderby_alone() -> None:
    assert build(Q.in_("type", ["c8y_Linux"])) == "$filter=(type eq 'c8y_Linux')"
    assert build(orderby=NAME_ASC) == "$orderby=name asc"
    assert build() == ""


def test_numbers_are_bare_in_eq_and_suffixed_in_comparisons() -> None:
    assert Q.eq("size", 5).render() == "size eq 5"
    assert Q.gt("size", 5).render() == "size gt 5f"
    assert Q.ge("ratio", 1.5).render() == "ratio ge 1.5f"
    assert Q.lt("size", 0).render() == "size lt 0f"
    assert Q.le("size", 7).render() == "size le 7f"
    assert Q.eq("enabled", True).render() == "enabled eq true"


def read_literal(text: str) -> tuple[str, str]:
    """Read one quoted literal the way the server tokenises it; return its value and the rest."""
    assert text.startswith("'")
    value, index = [], 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            value.append(text[index + 1])
            index += 2
        elif char == "'" and text[index + 1 : index + 2] == "'":
            value.append("'")
            index += 2
        elif char == "'":
            return "".join(value), text[index + 1 :]
        else:
            assert char not in "()[]{}", f"unescaped {char!r} inside a literal"
            value.append(char)
            index += 1
    raise AssertionError("unterminated literal")


@pytest.mark.parametrize(
    "crafted",
    ["x') or (name eq '*", "x' or name eq '*", "*') or has(c8y_IsDevice", "a\\') or (1 eq 1", "(x)*", "\\"],
)
def test_a_crafted_name_cannot_widen_a_filter(crafted: str) -> None:
    prefix = "$filter=((type eq 'c8y_Firmware') and (name eq "
    query = build(Q.eq("type", "c8y_Firmware") & Q.eq("name", crafted))
    assert query.startswith(prefix)
    value, rest = read_literal(query[len(prefix) :])
    assert value == crafted  # the whole name stayed one literal...
    assert rest == "))"  # ...and nothing leaked into the filter's structure


@pytest.mark.parametrize(
    "make",
    [
        lambda: Q.has("bad name"),
        lambda: Q.has("a,b"),
        lambda: Q.hasany("ok", "x)"),
        lambda: Q.has("c8y_Filter['x']"),
        lambda: Q.has('q"uote'),
        lambda: Q.has("type"),
        lambda: Q.bygroupid("12a"),
        lambda: Q.bygroupid("1) or (2"),
        lambda: Q.eq("name) or (x", "v"),
        lambda: Q.in_("type", []),
        lambda: build(orderby=[("name", "sideways")]),
        lambda: Q.gt("size", float("nan")),
    ],
)
def test_unsafe_arguments_are_rejected(make: object) -> None:
    with pytest.raises(QueryError) as caught:
        make()  # type: ignore[operator]
    assert isinstance(caught.value, InputError) and isinstance(caught.value, ValueError)
