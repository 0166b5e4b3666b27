"""The inventory query language with the contract's exact query strings (§1.6, §3, §4, §6, §7.3, §8.3, §9.2).

A dedicated sandbox without devices holds a known repository, so every result is compared exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from support.sandbox import running_sandbox, validated_client

CREATE = {"Content-Type": "application/vnd.com.nsn.cumulocity.managedObject+json"}
FW, SW, PROFILE, CONF = "c8y_Firmware", "c8y_Software", "c8y_Profile", "c8y_ConfigurationDump"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    with (
        running_sandbox(Path(tmp_path_factory.mktemp("query")), devices=0) as sb,
        validated_client(sb) as client,
    ):
        yield client, _seed(client)


def _seed(api: httpx.Client) -> dict[str, str]:
    ids: dict[str, str] = {}

    def mo(key: str, **body: Any) -> None:
        ids[key] = api.post("/inventory/managedObjects", json=body).json()["id"]

    def child(key: str, parent: str, **body: Any) -> None:
        ids[key] = api.post(
            f"/inventory/managedObjects/{ids[parent]}/childAdditions", headers=CREATE, json=body
        ).json()["id"]

    mo("ubuntu", name="ubuntu core", type=FW, c8y_Filter={"type": "c8y_Linux"})
    mo("Ubuntu", name="Ubuntu server", type=FW)
    mo("legacy", name="xabcx", type=FW, url="http://legacy/fw.img", version="0.9")
    mo("abc", name="ABCdef", type=FW, c8y_Filter={"type": ""})
    mo("gw", name="other", type=FW, c8y_Filter={"type": "c8y_Gateway"})
    mo("bob", name="Bob's firmware", type=FW)
    mo("beta", name="fw [beta] (v2)", type=FW)
    mo("path", name="C:\\firmware\\{x}", type=FW)
    mo("obrien", name="O'Brien (test)\\1", type=FW)
    mo("abc2", name="a'b[c]", type=FW)
    child("v1", "ubuntu", type="c8y_FirmwareBinary", c8y_Firmware={"version": "1.0", "url": "u1"})
    child("v2", "ubuntu", type="c8y_FirmwareBinary", c8y_Firmware={"version": "2.0", "url": "u2"})
    child(
        "p2",
        "ubuntu",
        type="c8y_FirmwareBinary",
        c8y_Firmware={"version": "2.0.1", "url": "p"},
        c8y_Patch={"dependency": "2.0"},
    )
    child(
        "p1",
        "ubuntu",
        type="c8y_FirmwareBinary",
        c8y_Firmware={"version": "1.0.1", "url": "q"},
        c8y_Patch={"dependency": "1.0"},
    )
    child("v1bin", "v1", name="fw.img", c8y_IsBinary={})  # a binary under a version is not a version
    mo("nginx", name="nginx", type=SW, softwareType="apt", c8y_Filter={"type": "c8y_Linux"})
    mo("docker", name="docker-ce", type=SW, softwareType="docker")
    mo("zsh", name="zsh", type=SW, softwareType="snap")
    mo("win", name="winthing", type=SW, softwareType="apt", c8y_Filter={"type": "windows"})
    mo("nosw", name="untyped", type=SW)
    child("nginx1", "nginx", type="c8y_SoftwareBinary", c8y_Software={"version": "1.24", "url": ""})
    mo("pr_linux", name="p-linux", type=PROFILE, c8y_Filter={"type": "c8y_Linux"}, **{"softwareType!apt": {}})
    mo("pr_any", name="p-any", type=PROFILE, c8y_Filter={}, **{"softwareType!docker": {}})
    mo("pr_gw", name="p-gw", type=PROFILE, c8y_Filter={"type": "c8y_Gateway"}, **{"softwareType!apt": {}})
    mo("pr_empty", name="p-empty", type=PROFILE, c8y_Filter={"type": ""})
    mo("c_tedge", name="c1", type=CONF, url="x", deviceType="c8y_Linux", configurationType="tedge.toml")
    mo("c_untyped", name="c2", type=CONF, url="x", configurationType="")
    mo("c_linux", name="c3", type=CONF, url="x", deviceType="c8y_Linux")
    mo("c_other", name="c4", type=CONF, url="x", deviceType="other", configurationType="tedge.toml")
    mo("c_mosq", name="c5", type=CONF, url="x", deviceType="c8y_Linux", configurationType="mosquitto.conf")
    mo("num", name="numbers", type="c8ydm_num", c8y_Metric={"value": 7.5, "count": 3}, tags=["a", "b"])
    return ids


def _query(repo: tuple[httpx.Client, dict[str, str]], query: str, **params: str) -> list[str]:
    api, ids = repo
    names = {v: k for k, v in ids.items()}
    response = api.get("/inventory/managedObjects", params={"pageSize": "2000", "query": query, **params})
    assert response.status_code == 200, response.text
    return [names.get(mo["id"], mo["id"]) for mo in response.json()["managedObjects"]]


def _entry(repo: tuple[httpx.Client, dict[str, str]], key: str) -> str:
    return repo[1][key]


# Names sort in binary order, upper case first ("ABCdef" < "Bob's firmware" < ... < "a'b[c]").
FIRMWARE_BY_NAME = ["abc", "bob", "path", "obrien", "Ubuntu", "abc2", "beta", "gw", "ubuntu", "legacy"]
LINUX_FIRMWARE = ["abc", "bob", "path", "obrien", "Ubuntu", "abc2", "beta", "ubuntu", "legacy"]
DEVICE_TYPE = "((c8y_Filter.type eq 'c8y_Linux') or (c8y_Filter.type eq '') or (not(has(c8y_Filter.type))))"


def test_firmware_list_by_name(repo: Any) -> None:  # §1.6.3, §3.1
    assert _query(repo, "$filter=(type eq 'c8y_Firmware') $orderby=name asc") == FIRMWARE_BY_NAME


def test_picker_with_wildcard_name_excludes_legacy_entries(repo: Any) -> None:  # §1.6.3
    query = "$filter=(((type eq 'c8y_Firmware') and (name eq '*abc*')) and (not(has(url)))) $orderby=name asc"
    assert _query(repo, query) == ["abc"]


def test_base_versions_newest_first_and_their_count(repo: Any) -> None:  # §1.6.3, §3.1
    entry = _entry(repo, "ubuntu")
    query = f"$filter=((not(has(c8y_Patch))) and (bygroupid({entry}))) $orderby=creationTime.date desc"
    assert _query(repo, query) == ["v2", "v1"]
    counted = (
        repo[0]
        .get("/inventory/managedObjects", params={"query": query, "pageSize": 1, "withTotalElements": "true"})
        .json()
    )
    assert counted["statistics"]["totalElements"] == 2


@pytest.mark.parametrize("contract_section", ["1.6.3", "9.2"])
def test_profiles_for_a_device_type_and_software_types(repo: Any, contract_section: str) -> None:
    query = (
        f"$filter=((type eq 'c8y_Profile') and ({DEVICE_TYPE} and "
        "(hasany(softwareType!apt,softwareType!docker))))"
    )
    assert _query(repo, query) == ["pr_linux", "pr_any"]


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("'Bob''s firmware'", ["bob"]),
        ("'fw \\[beta\\] \\(v2\\)'", ["beta"]),
        ("'C:\\\\firmware\\\\\\{x\\}'", ["path"]),
        ("'O''Brien \\(test\\)\\\\1'", ["obrien"]),
        ("'ubuntu*'", ["ubuntu", "Ubuntu"]),
        ("'ubuntu core'", ["ubuntu"]),
        ("'UBUNTU CORE'", []),
    ],
)
def test_escaped_literals_and_case_rules(repo: Any, literal: str, expected: list[str]) -> None:  # §1.6.2
    assert _query(repo, f"$filter=(name eq {literal})") == expected


def test_escaping_example_of_the_builder(repo: Any) -> None:  # §1.6.2 last row
    assert _query(
        repo, "$filter=((type eq 'c8y_Firmware') and (name eq 'a''b\\[c\\]')) $orderby=name asc"
    ) == ["abc2"]


def test_grid_name_filter_and_device_type_filter(repo: Any) -> None:  # §3.1
    assert _query(repo, "$filter=((name eq 'ubuntu*') and (type eq 'c8y_Firmware')) $orderby=name asc") == [
        "Ubuntu",
        "ubuntu",
    ]
    query = (
        "$filter=((type eq 'c8y_Firmware') and ((c8y_Filter.type eq 'c8y_Linux') or "
        "((not(has(c8y_Filter.type))) or (c8y_Filter.type eq '')))) $orderby=name asc"
    )
    assert _query(repo, query) == LINUX_FIRMWARE


def test_versions_patches_and_base_with_patches(repo: Any) -> None:  # §3.2
    entry = _entry(repo, "ubuntu")
    assert _query(repo, f"$filter=(bygroupid({entry})) $orderby=creationTime.date desc") == [
        "p1",
        "p2",
        "v2",
        "v1",
    ]
    patches = (
        f"$filter=((c8y_Patch.dependency eq '2.0') and (bygroupid({entry}))) $orderby=creationTime.date desc"
    )
    assert _query(repo, patches) == ["p2"]
    both = (
        "$filter=(((c8y_Patch.dependency eq '1.0') or (c8y_Firmware.version eq '1.0')) and "
        f"(bygroupid({entry}))) $orderby=c8y_Patch.dependency asc,c8y_Firmware.version asc"
    )
    assert _query(repo, both) == ["v1", "p1"]


def test_reconcile_lookups(repo: Any) -> None:  # §3.3
    assert _query(repo, "$filter=((type eq 'c8y_Firmware') and (name eq 'ubuntu core'))") == ["ubuntu"]
    version = (
        "$filter=((type eq 'c8y_FirmwareBinary') and (not(has(c8y_Patch))) and "
        f"(c8y_Firmware.version eq '2.0') and (bygroupid({_entry(repo, 'ubuntu')})))"
    )
    assert _query(repo, version) == ["v2"]


def test_software_types_and_versions(repo: Any) -> None:  # §4
    types = "$filter=((has(softwareType)) and (type eq 'c8y_Software')) $orderby=name asc,softwareType asc"
    assert _query(repo, types) == ["docker", "nginx", "win", "zsh"]
    entry = _entry(repo, "nginx")
    versions = f"$filter=((not(has(c8y_Patch))) and (bygroupid({entry}))) $orderby=creationTime.date desc"
    assert _query(repo, versions) == ["nginx1"]


def test_installable_firmware_and_search(repo: Any) -> None:  # §6
    base = f"((type eq 'c8y_Firmware') and {DEVICE_TYPE}) and (type eq 'c8y_Firmware')"
    assert _query(repo, f"$filter=({base}) $orderby=name asc") == LINUX_FIRMWARE
    assert _query(repo, f"$filter=(({base}) and (name eq '*ubu*')) $orderby=name asc") == ["Ubuntu", "ubuntu"]


def test_installed_firmware_resolves_to_its_version_with_parents(repo: Any) -> None:  # §6
    query = (
        "$filter=(((c8y_Firmware.version eq '2.0') and (c8y_Firmware.url eq 'u2') and "
        "(type eq 'c8y_FirmwareBinary')) or ((url eq 'u2') and (type eq 'c8y_Firmware') and "
        "(name eq 'ubuntu core')))"
    )
    api, ids = repo
    found = api.get(
        "/inventory/managedObjects", params={"query": query, "withChildren": "false", "withParents": "true"}
    ).json()["managedObjects"]
    assert [mo["id"] for mo in found] == [ids["v2"]]
    assert found[0]["additionParents"]["references"][0]["managedObject"]["id"] == ids["ubuntu"]
    legacy = (
        "$filter=(((c8y_Firmware.version eq '0.9') and (c8y_Firmware.url eq 'http://legacy/fw.img') and "
        "(type eq 'c8y_FirmwareBinary')) or ((url eq 'http://legacy/fw.img') and (type eq 'c8y_Firmware') "
        "and (name eq 'xabcx')))"
    )
    assert _query(repo, legacy) == ["legacy"]


def test_installable_software_for_supported_types(repo: Any) -> None:  # §7.3
    query = (
        f"$filter=((((type eq 'c8y_Software') and {DEVICE_TYPE}) and (type eq 'c8y_Software')) and "
        "((softwareType eq 'apt') or (softwareType eq 'docker')))"
    )
    assert _query(repo, query) == ["nginx", "docker"]


def test_configuration_snapshots_offered_for_sending(repo: Any) -> None:  # §8.3, §5
    query = (
        "$filter=((((type eq 'c8y_ConfigurationDump') and ((deviceType eq 'c8y_Linux') or "
        "(not(has(deviceType))))) and ((configurationType eq 'tedge.toml') or (configurationType eq '') or "
        "(not(has(configurationType))))) and (type eq 'c8y_ConfigurationDump')) $orderby=name asc"
    )
    assert _query(repo, query) == ["c_tedge", "c_untyped", "c_linux"]
    assert _query(repo, "$filter=(type eq 'c8y_ConfigurationDump') $orderby=name asc") == [
        "c_tedge",
        "c_untyped",
        "c_linux",
        "c_other",
        "c_mosq",
    ]


def test_numbers_arrays_bare_form_and_orderby_only(repo: Any) -> None:  # spec "Query language"
    assert _query(repo, "$filter=(c8y_Metric.value gt 7f) and (c8y_Metric.value lt 7.6d)") == ["num"]
    assert _query(repo, "$filter=(c8y_Metric.value gt 8f)") == []
    assert _query(repo, "$filter=(c8y_Metric.count eq 3)") == ["num"]
    assert _query(repo, "$filter=(tags eq 'b')") == ["num"]
    assert _query(repo, "type eq 'c8ydm_num'") == ["num"]
    assert _query(repo, "$orderby=name desc", type="ignored")[:3] == ["zsh", "legacy", "win"]


@pytest.mark.parametrize(
    "query",
    [
        "$filter=(name eq 'x'",
        "$filter=(name eq 6.6)",
        "$filter=(has(name))",
        "$filter=(name ne 'x')",
        "$filter=(name eq 'a\\*')",
        "$filter=(nosuchfunction(x))",
        "$filter=(bygroupid(abc))",
        "$orderby=name sideways",
        "$filter=(name eq 'unterminated)",
        "$select=name",
        "$filter=(name eq x)",
    ],
)
def test_unparsable_or_unsupported_query_is_422(repo: Any, query: str) -> None:
    response = repo[0].get("/inventory/managedObjects", params={"query": query})
    assert response.status_code == 422
    assert response.json()["error"] == "inventory/invalidQuery"
    assert response.headers["content-type"].startswith("application/vnd.com.nsn.cumulocity.error+json")
