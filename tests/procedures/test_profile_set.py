"""``profile set``: one read, one PUT with the complete fragment, a re-read (contract §9.1, §1.8, 14(k)).

Every PUT body is compared exactly: merges (software by name, configuration by type, the new item
wins), markers (old ones null, typed items only: never ``softwareType!undefined``), removals by
omission (the firmware key left out, never null).
"""

from __future__ import annotations

from typing import Any

import pytest
from profile_fakes import (
    CONF_URL,
    FW_ITEM,
    FW_URL,
    MOSQUITTO_ITEM,
    NGINX_ITEM,
    PROFILE_PATH,
    PROFILE_QUERY,
    TEDGE_ITEM,
    TOOL_ITEM,
    config_picker,
    picker,
    profile_mo,
    script_profile,
    script_repository,
)
from support.repo_mock import BASE_URL, MO_PATH, ScriptedTenant, entry_mo, page

from c8ydm.api.auth import BasicAuth
from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.retry import RetryPolicy
from c8ydm.cli.exitcodes import exit_code_for
from c8ydm.procedures.repository.profiles.update import (
    ProfileMismatchError,
    SetRequest,
    execute_set,
    plan_set,
)


def run_set(client: Client, tenant: ScriptedTenant, before: dict[str, Any], request: SetRequest) -> Any:
    """Plan against ``before`` and execute; the tenant replaces top-level fragments (§1.8)."""
    script_repository(tenant)
    script_profile(tenant, before)
    plan = plan_set(client, "Baseline", request)
    return plan, execute_set(client, plan)


def puts(tenant: ScriptedTenant) -> list[Any]:
    return [body for method, _, body in tenant.changes() if method == "PUT"]


def test_set_on_an_empty_profile_puts_everything_with_markers_for_typed_software_only(
    client: Client, tenant: ScriptedTenant
) -> None:
    request = SetRequest(
        firmware="linux-image@6.1.3", software=("nginx@1.24.0", "mosquitto", "tool"), config=("tedge-base",)
    )

    plan, read = run_set(client, tenant, profile_mo({}), request)

    assert puts(tenant) == [
        {
            "id": "50",
            "c8y_DeviceProfile": {
                "firmware": FW_ITEM,
                "software": [NGINX_ITEM, MOSQUITTO_ITEM, TOOL_ITEM],
                "configuration": [TEDGE_ITEM],
            },
            "softwareType!apt": {},
            "softwareType!docker": {},
        }
    ]  # rule 14(k): "tool" has no type, so no softwareType!undefined
    assert tenant.changes()[0][1] == PROFILE_PATH
    assert [(c.method, c.path) for c in tenant.calls if c.path == PROFILE_PATH] == [
        ("PUT", PROFILE_PATH),
        ("GET", PROFILE_PATH),
    ]  # one write, one re-read
    assert plan.changes == [
        "set firmware linux-image 6.1.3",
        "set software nginx 1.24.0 (apt)",
        "set software mosquitto 2.0.18 (docker)",
        "set software tool 1.0",
        "set configuration tedge-base (tedge.toml)",
    ]
    assert read.fragment("softwareType!apt") == {}


def test_set_picks_items_with_the_pickers_queries_of_section_9_1(
    client: Client, tenant: ScriptedTenant
) -> None:
    request = SetRequest(firmware="linux-image@6.1.3", software=("nginx@1.24.0",), config=("tedge-base",))

    run_set(client, tenant, profile_mo({}), request)

    picked = [c for c in tenant.calls if c.method == "GET" and "name eq" in c.params.get("query", "")]
    assert [(c.params["query"], c.params["pageSize"]) for c in picked] == [
        (PROFILE_QUERY, "100"),
        (picker("c8y_Firmware", "linux-image"), "100"),
        (picker("c8y_Software", "nginx"), "100"),
        (config_picker("tedge-base"), "100"),
    ]
    assert picker("c8y_Software", "nginx") == (
        "$filter=((((type eq 'c8y_Software') and (name eq 'nginx')) and (not(has(url)))) and "
        "((c8y_Filter.type eq 'c8y_Linux') or ((c8y_Filter.type eq '') or (not(has(c8y_Filter.type)))))) "
        "$orderby=name asc"
    )


def test_set_merges_by_name_and_type_keeps_other_keys_and_nulls_stale_markers(
    client: Client, tenant: ScriptedTenant
) -> None:
    old_fw = {"name": "linux-image", "version": "6.1.2", "url": FW_URL + "6.1.2"}
    old_nginx = {**NGINX_ITEM, "version": "1.18.0", "url": "https://old/nginx"}
    curl = {"name": "curl", "version": "7.81.0", "url": "", "softwareType": "apt", "action": "install"}
    old_tedge = {"url": "https://old/tedge.toml", "name": "old-tedge", "type": "tedge.toml"}
    mqtt = {"url": "https://x/mosquitto.conf", "name": "mq", "type": "mosquitto.conf"}
    content = {
        "firmware": old_fw,
        "software": [old_nginx, curl],
        "configuration": [old_tedge, mqtt],
        "x": {"k": 1},
    }
    before = profile_mo(
        content, **{"softwareType!apt": {}, "softwareType!undefined": {}, "softwareType!rpm": {}}
    )

    run_set(
        client, tenant, before, SetRequest(software=("nginx@1.24.0", "mosquitto"), config=("tedge-base",))
    )

    assert puts(tenant) == [
        {
            "id": "50",
            "c8y_DeviceProfile": {
                "firmware": old_fw,
                "software": [NGINX_ITEM, curl, MOSQUITTO_ITEM],
                "configuration": [TEDGE_ITEM, mqtt],
                "x": {"k": 1},
            },
            "softwareType!apt": {},
            "softwareType!undefined": None,
            "softwareType!rpm": None,
            "softwareType!docker": {},
        }
    ]


def test_removals_omit_the_items_and_leave_the_firmware_key_out_instead_of_null(
    client: Client, tenant: ScriptedTenant
) -> None:
    content = {"firmware": FW_ITEM, "software": [NGINX_ITEM, MOSQUITTO_ITEM], "configuration": [TEDGE_ITEM]}
    before = profile_mo(content, **{"softwareType!apt": {}, "softwareType!docker": {}})
    request = SetRequest(remove_firmware=True, remove_software=("mosquitto",), remove_config=("tedge-base",))

    plan, _ = run_set(client, tenant, before, request)

    assert puts(tenant) == [
        {
            "id": "50",
            "c8y_DeviceProfile": {"software": [NGINX_ITEM], "configuration": []},
            "softwareType!apt": {},
            "softwareType!docker": None,
        }
    ]
    assert plan.changes == [
        "removed firmware linux-image 6.1.3",
        "removed software mosquitto 2.0.18 (docker)",
        "removed configuration tedge-base (tedge.toml)",
    ]


def test_removing_the_last_software_nulls_every_marker(client: Client, tenant: ScriptedTenant) -> None:
    before = profile_mo({"software": [NGINX_ITEM]}, **{"softwareType!apt": {}})

    run_set(client, tenant, before, SetRequest(remove_software=("nginx",)))

    assert puts(tenant) == [{"id": "50", "c8y_DeviceProfile": {"software": []}, "softwareType!apt": None}]


def test_firmware_only_change_of_a_profile_with_software_carries_its_markers(
    client: Client, tenant: ScriptedTenant
) -> None:
    before = profile_mo({"software": [MOSQUITTO_ITEM]}, **{"softwareType!docker": {}})

    run_set(client, tenant, before, SetRequest(firmware="linux-image@6.1.3"))

    assert puts(tenant) == [
        {
            "id": "50",
            "c8y_DeviceProfile": {"firmware": FW_ITEM, "software": [MOSQUITTO_ITEM]},
            "softwareType!docker": {},
        }
    ]


def test_a_patch_is_sent_with_is_patch_and_without_dependency(client: Client, tenant: ScriptedTenant) -> None:
    run_set(client, tenant, profile_mo({}), SetRequest(firmware="linux-image@6.1.3", patch="6.1.3-p1"))

    assert puts(tenant) == [
        {
            "id": "50",
            "c8y_DeviceProfile": {
                "firmware": {
                    "name": "linux-image",
                    "version": "6.1.3-p1",
                    "url": FW_URL + "p1",
                    "isPatch": True,
                }
            },
        }
    ]  # §9.1 ⚠: the UI never sends dependency in a profile


def test_a_set_that_changes_nothing_sends_no_put(client: Client, tenant: ScriptedTenant) -> None:
    before = profile_mo({"firmware": FW_ITEM, "software": [NGINX_ITEM]}, **{"softwareType!apt": {}})

    plan, read = run_set(
        client, tenant, before, SetRequest(firmware="linux-image@6.1.3", remove_software=("curl",))
    )

    assert plan.body is None and puts(tenant) == []
    assert plan.unchanged == [
        "firmware linux-image 6.1.3 is already in the profile",
        "software curl is not in the profile",
    ]
    assert read.id == "50"


def test_a_reread_that_still_holds_a_removed_key_fails_with_exit_7(
    client: Client, tenant: ScriptedTenant
) -> None:
    before = profile_mo({"firmware": FW_ITEM, "software": [NGINX_ITEM]}, **{"softwareType!apt": {}})
    script_repository(tenant)
    tenant.on("GET", MO_PATH, page([before]), query=PROFILE_QUERY)
    tenant.on("PUT", PROFILE_PATH, before)
    tenant.on("GET", PROFILE_PATH, before)  # a tenant that merged nested keys: the firmware stayed

    plan = plan_set(client, "Baseline", SetRequest(remove_firmware=True))
    with pytest.raises(ProfileMismatchError) as raised:
        execute_set(client, plan)

    assert exit_code_for(raised.value) == 7
    assert "c8y_DeviceProfile differs (kept firmware)" in raised.value.message
    assert len(puts(tenant)) == 1


def test_an_item_for_another_device_type_exits_2_naming_it_and_nothing_is_sent(
    client: Client, tenant: ScriptedTenant
) -> None:
    tenant.on("GET", MO_PATH, page([profile_mo({})]), query=PROFILE_QUERY)
    tenant.on("GET", MO_PATH, page([]), query=picker("c8y_Software", "gw-agent"))
    gateway_only = entry_mo("90", "gw-agent", "c8y_Software", c8y_Filter={"type": "c8y_Gateway"})
    tenant.on(
        "GET",
        MO_PATH,
        page([gateway_only]),
        query="$filter=((type eq 'c8y_Software') and (name eq 'gw-agent'))",
    )

    with pytest.raises(InputError) as raised:
        plan_set(client, "Baseline", SetRequest(software=("gw-agent@1",)))

    assert raised.value.message == (
        "software 'gw-agent' is for devices of type 'c8y_Gateway'; the profile is for 'c8y_Linux'"
    )
    assert exit_code_for(raised.value) == 2 and tenant.changes() == []


@pytest.mark.parametrize(
    ("found", "message"),
    [
        ([], "firmware 'fw' is not in the firmware repository"),
        (
            [entry_mo("91", "fw", "c8y_Firmware", url="https://x/fw.img", version="1")],
            "firmware 'fw' is a legacy entry: profiles take only entries with versions",
        ),
    ],
)
def test_a_missing_or_legacy_item_exits_2(
    client: Client, tenant: ScriptedTenant, found: list[dict[str, Any]], message: str
) -> None:
    tenant.on("GET", MO_PATH, page([profile_mo({})]), query=PROFILE_QUERY)
    tenant.on("GET", MO_PATH, page([]), query=picker("c8y_Firmware", "fw"))
    tenant.on("GET", MO_PATH, page(found), query="$filter=((type eq 'c8y_Firmware') and (name eq 'fw'))")

    with pytest.raises(InputError) as raised:
        plan_set(client, "Baseline", SetRequest(firmware="fw"))

    assert raised.value.message == message and tenant.changes() == []


def test_an_unknown_version_exits_2(client: Client, tenant: ScriptedTenant) -> None:
    script_repository(tenant)
    tenant.on("GET", MO_PATH, page([profile_mo({})]), query=PROFILE_QUERY)

    with pytest.raises(InputError, match=r"software 'nginx' has no version '9\.9'"):
        plan_set(client, "Baseline", SetRequest(software=("nginx@9.9",)))


def test_a_profile_without_device_type_restricts_no_picker(client: Client, tenant: ScriptedTenant) -> None:
    anywhere = profile_mo({}, c8y_Filter={})
    tenant.on("GET", MO_PATH, page([anywhere]), query=PROFILE_QUERY)
    untyped_sw = (
        "$filter=(((type eq 'c8y_Software') and (name eq 'nginx')) and (not(has(url)))) $orderby=name asc"
    )
    untyped_conf = "$filter=((type eq 'c8y_ConfigurationDump') and (name eq 'tedge-base')) $orderby=name asc"
    tenant.on("GET", MO_PATH, page([entry_mo("70", "nginx", "c8y_Software")]), query=untyped_sw)
    tenant.on("GET", MO_PATH, page([{"id": "170", "c8y_Software": {"version": "1", "url": ""}}]),
              query="$filter=(bygroupid(70)) $orderby=creationTime.date desc")  # fmt: skip
    tenant.on("GET", MO_PATH, page([entry_mo("80", "tedge-base", "c8y_ConfigurationDump", url=CONF_URL)]),
              query=untyped_conf)  # fmt: skip

    plan = plan_set(client, "Baseline", SetRequest(software=("nginx",), config=("tedge-base",)))

    assert plan.body == {
        "id": "50",
        "c8y_DeviceProfile": {
            "software": [{"name": "nginx", "version": "1", "url": "", "action": "install"}],
            "configuration": [{"url": CONF_URL, "name": "tedge-base"}],
        },
    }


def test_two_configurations_of_one_type_exit_2(client: Client, tenant: ScriptedTenant) -> None:
    script_repository(tenant)
    tenant.on("GET", MO_PATH, page([profile_mo({})]), query=PROFILE_QUERY)
    other = entry_mo("81", "tedge-alt", "c8y_ConfigurationDump", url=CONF_URL, configurationType="tedge.toml")
    tenant.on("GET", MO_PATH, page([other]), query=config_picker("tedge-alt"))

    with pytest.raises(InputError, match=r"configuration type tedge\.toml more than once"):
        plan_set(client, "Baseline", SetRequest(config=("tedge-base", "tedge-alt")))


def test_a_dry_run_sends_no_put_and_reads_nothing_back(tenant: ScriptedTenant) -> None:
    records: list[dict[str, Any]] = []
    script_repository(tenant)
    tenant.on("GET", MO_PATH, page([profile_mo({})]), query=PROFILE_QUERY)
    with Client(
        BASE_URL, BasicAuth("a", "b", tenant="t100"), dry_run=True, on_dry_run=records.append,
        retry=RetryPolicy.disabled(),
    ) as client:  # fmt: skip
        execute_set(client, plan_set(client, "Baseline", SetRequest(firmware="linux-image@6.1.3")))

    assert [(r["method"], r["path"], r["body"]) for r in records] == [
        ("PUT", PROFILE_PATH, {"id": "50", "c8y_DeviceProfile": {"firmware": FW_ITEM}})
    ]
    assert [c for c in tenant.calls if c.path == PROFILE_PATH] == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "nothing to change"),
        ({"patch": "p1"}, "--patch needs --firmware NAME@BASE_VERSION"),
        ({"firmware": "fw", "remove_firmware": True}, "give --firmware or --remove-firmware, not both"),
        ({"software": ("a@1", "a@2")}, "--software names a more than once"),
        ({"software": ("a@1",), "remove_software": ("a",)}, "software a is both added and removed"),
        ({"config": (" ",)}, "--config 1 must not be empty or whitespace only"),
        ({"firmware": "fw@"}, "empty version in 'fw@'"),
    ],
)
def test_bad_requests_exit_2_before_any_request(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError) as raised:
        SetRequest(**fields)

    assert raised.value.message == message
