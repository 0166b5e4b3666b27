"""firmware download --to: a permission problem or a file in the way is exit 2 with a clear message,
and a path ending in / is a directory that is created (issue 15)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import Run

pytestmark = pytest.mark.e2e

FW = "e2e-dl-dest"


@pytest.fixture(scope="module", autouse=True)
def released(c8ydm: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory) -> None:
    image = tmp_path_factory.mktemp("image") / "router.bin"
    image.write_bytes(b"image" * 100)
    run = c8ydm(
        "firmware", "add", FW, "--version", "1.0", "--file", str(image), "--description", "d", "-o", "json"
    )
    assert run.code == 0, run.stderr


def download(c8ydm: Callable[..., Run], to: str) -> Run:
    return c8ydm("firmware", "download", FW, "--version", "1.0", "--to", to, "-o", "json")


def test_a_path_ending_in_slash_is_a_directory_that_is_created(
    c8ydm: Callable[..., Run], tmp_path: Path
) -> None:
    run = download(c8ydm, f"{tmp_path}/dl/nested/")

    assert run.code == 0, run.stderr
    assert run.json()["path"] == str(tmp_path / "dl" / "nested" / "router.bin")
    assert (tmp_path / "dl" / "nested" / "router.bin").read_bytes() == b"image" * 100


def test_a_path_without_slash_that_does_not_exist_is_the_file(
    c8ydm: Callable[..., Run], tmp_path: Path
) -> None:
    run = download(c8ydm, str(tmp_path / "dl"))

    assert run.code == 0 and (tmp_path / "dl").is_file()


def test_a_file_in_the_way_is_exit_2_before_downloading(c8ydm: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "fw.bin").write_text("x")

    run = download(c8ydm, str(tmp_path / "fw.bin" / "x"))

    assert run.code == 2
    assert run.json()["error"]["message"] == (
        f"cannot save to {tmp_path / 'fw.bin' / 'x'}: {tmp_path / 'fw.bin'} is a file, not a directory"
    )
    assert "Downloading" not in run.stderr and "Unexpected error" not in run.stderr


@pytest.mark.skipif(not os.path.isdir("/sys"), reason="needs a /sys that nobody may write into")
def test_a_place_without_write_permission_is_exit_2_naming_it(c8ydm: Callable[..., Run]) -> None:
    run = download(c8ydm, "/sys/fw.bin")

    assert run.code == 2
    message = run.json()["error"]["message"]
    assert message in (
        "cannot write /sys/fw.bin: Permission denied",  # root: only the write itself fails
        "cannot save to /sys/fw.bin: no permission to write in /sys",
        "cannot write /sys/fw.bin: Read-only file system",
    )
    assert "This is a bug" not in run.stderr
