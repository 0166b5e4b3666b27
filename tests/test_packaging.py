"""Packaging and the test run's own output (issue 15): a free distribution name, no setuptools
deprecation, and skips summed up in one line per reason."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, as a package
    tomllib = pytest.importorskip("tomli")

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_distribution_is_c8ydm_cli_and_installs_the_c8ydm_command_and_package() -> None:
    project = PYPROJECT["project"]

    # "c8ydm" on PyPI is a device-side agent with an import package of the same name.
    assert project["name"] == "c8ydm-cli"
    assert project["scripts"] == {"c8ydm": "c8ydm.cli.main:entry"}
    assert PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"] == ["c8ydm*"]
    assert "c8ydm-cli[sandbox]" in project["optional-dependencies"]["test"]


def test_license_is_an_spdx_string_as_setuptools_77_wants_it() -> None:
    assert PYPROJECT["project"]["license"] == "Apache-2.0"  # a TOML table warns on every build
    assert any(req.startswith("setuptools>=77") for req in PYPROJECT["build-system"]["requires"])


def test_readme_recommends_pipx_and_warns_against_mixing_with_the_other_c8ydm() -> None:
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())

    assert 'pipx install "c8ydm-cli[sandbox]"' in readme
    assert "pip install c8ydm " not in readme and 'pip install "c8ydm[' not in readme
    assert "Never install both into one environment" in readme


def test_skips_are_summed_up_in_one_line_per_reason() -> None:
    env = {**os.environ, "C8YDM_OAS_PATH": str(REPO / "no-such-spec.yml")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0",
         "tests/api/test_users_tenant.py"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stdout
    assert "SKIPPED [" not in done.stdout
    summary = [line for line in done.stdout.splitlines() if " skipped: " in line]
    assert len(summary) == 1
    assert summary[0].endswith(
        "official OpenAPI spec not found at " + env["C8YDM_OAS_PATH"] + ": request validation skipped"
    )
