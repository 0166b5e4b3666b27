"""The options of `device install` and `device remove` (kept apart: device.py stays readable)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from c8ydm.cli.options import complete_names, complete_packages

ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile", metavar="NAME", autocompletion=complete_names("profile"),
        help="Apply this device profile (alone, without --firmware/--software).",
    ),
]  # fmt: skip
WaitPendingOption = Annotated[
    bool,
    typer.Option(
        "--wait-pending",
        help="If an operation of the same kind is PENDING or EXECUTING, wait for it to end first.",
    ),
]
ConfigOption = Annotated[
    list[str] | None,
    typer.Option(
        "--config",
        metavar="NAME",
        autocompletion=complete_names("config"),
        help="A configuration from the repository (repeatable, one per configuration type).",
    ),
]
ConfigTextOption = Annotated[
    Path | None,
    typer.Option("--config-text", metavar="FILE", help="Save this file as the text configuration."),
]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Send even while an operation of the same kind is PENDING or EXECUTING."),
]
FirmwareOption = Annotated[
    str | None,
    typer.Option(
        "--firmware",
        metavar="NAME@VERSION",
        autocompletion=complete_packages("firmware"),
        help="Firmware (newest without @).",
    ),
]
SoftwareOption = Annotated[
    list[str] | None,
    typer.Option(
        "--software",
        metavar="NAME@VERSION",
        autocompletion=complete_packages("software"),
        help="Software (repeatable).",
    ),
]
