"""profile commands through the entry point, in-process: bad input is exit 2 before any session or
request, and the views print what people and scripts need (tables at a fixed width)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support.entry_point import Run

from c8ydm.api.models.inventory import ManagedObject
from c8ydm.cli.output import Output
from c8ydm.cli.views.profile import profile_view


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["profile", "set", "Baseline"], "nothing to change"),
        (["profile", "set", "Baseline", "--patch", "p1"], "--patch needs --firmware NAME@BASE_VERSION"),
        (["profile", "set", "Baseline", "--software", "a@1", "--remove-software", "a"],
         "software a is both added and removed"),
        (["profile", "edit", "Baseline"],
         "nothing to change: give --name, --device-type or --no-device-type"),
        (["profile", "create", " "], "NAME must not be empty or whitespace only"),
        (["bulk", "create", "--profile", "Baseline", "--software", "x", "--group", "G"],
         "give exactly one source: --from-operation, --firmware, --software, --config, --profile"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_without_a_session(cli: Callable[..., Run], args: list[str], message: str) -> None:
    result = cli(*args, "-o", "json")

    assert result.code == 2
    assert result.json()["error"]["message"] == message


def test_device_install_with_profile_and_firmware_exits_2_without_a_session(cli: Callable[..., Run]) -> None:
    result = cli("device", "install", "linux-0001", "--profile", "B", "--firmware", "fw", "-o", "json")

    assert result.code == 2
    assert result.json()["error"]["message"] == (
        "--profile applies a whole device profile: give it without --firmware/--software"
    )


def test_profile_show_prints_a_card_and_an_item_table(capsys: pytest.CaptureFixture[str]) -> None:
    profile = ManagedObject.model_validate(
        {
            "id": "50",
            "name": "Base [bold]line",
            "type": "c8y_Profile",
            "c8y_Filter": {"type": "c8y_Linux"},
            "softwareType!apt": {},
            "c8y_DeviceProfile": {
                "firmware": {"name": "linux-image", "version": "6.1.3", "url": "https://f/6.1.3"},
                "software": [{"name": "nginx", "version": "1.24.0", "url": "", "softwareType": "apt"}],
            },
        }
    )
    output = Output("table", environ={"COLUMNS": "80", "NO_COLOR": "1"})

    view = profile_view(profile)
    output.render(view.card)
    rows, columns = view.table() or ([], None)
    output.render(rows, columns)

    printed = capsys.readouterr().out
    assert "Base [bold]line" in printed and "c8y_Linux" in printed and "1 firmware, 1 software" in printed
    assert "firmware   linux-image   6.1.3" in printed
    assert "software   nginx         1.24.0    apt" in printed
