"""sandbox start | status | stop | reset: a local Cumulocity-compatible tenant (cli-surface.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from c8ydm import settings
from c8ydm.api.errors import InputError, TransportError
from c8ydm.cli.context import App
from c8ydm.cli.options import command, new_group
from c8ydm.sandbox import control
from c8ydm.sandbox.instance import PortError

COLUMNS = ["url", "tenant", "user", "devices", "running", "data_dir", "session"]  # the password only in json
# `start` returns at most this long after it began (see control.start) if the devices are still being
# seeded then: up to some thousands are there by then; a larger fleet goes on seeding in the background.
SEED_WAIT_SECONDS = 1.5
DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        metavar="DIR",
        help="Sandbox data (default: $C8YDM_SANDBOX_DIR or ~/.local/share/c8ydm/sandbox).",
        show_default=False,
    ),
]

group = new_group("""Run a local sandbox tenant with simulated devices.

The sandbox speaks Cumulocity's REST API on loopback, keeps its data in a data dir and simulates
devices that carry out operations. `start` saves and selects a session for its data dir:
"sandbox" for the default data dir, "sandbox-<port>" for another (or the name given with
--session), and says which. Several sandboxes can run side by side, one per data dir and port.

Example:
  c8ydm sandbox start --devices 50
  c8ydm sandbox status -o json""")


def _record(state: dict[str, Any], session: str | None) -> dict[str, Any]:
    keys = (
        "url",
        "tenant",
        "user",
        "password",
        "readonly_user",
        "readonly_password",
        "devices",
        "port",
        "pid",
    )
    return {
        **{key: state.get(key) for key in keys},
        "seeded": state.get("seeded"),  # devices seeded so far (the fleet is seeded in the background)
        "running": state["running"],
        "data_dir": state["data_dir"],
        "session": session,
    }


def _seeding_note(app: App, state: dict[str, Any]) -> None:
    seeded, devices = state.get("seeded"), state.get("devices")
    if state.get("running") and isinstance(seeded, int) and isinstance(devices, int) and seeded < devices:
        app.message(
            f"Seeding devices in the background: {seeded:,} of {devices:,} so far "
            "(c8ydm sandbox status shows the progress)."
        )


def _fleet_note(app: App, state: dict[str, Any], requested: int | None) -> None:
    """A data dir keeps the fleet of its first start: a different --devices is said, not applied."""
    held = state.get("devices")
    if requested is not None and isinstance(held, int) and held != requested:
        app.warning(
            f"this data dir already holds a fleet of {held:,} devices, so --devices {requested:,} is not "
            "applied: `c8ydm sandbox reset` first for a new fleet, or start another --data-dir"
        )


def _save_session(app: App, state: dict[str, Any]) -> str:
    """Save and select the session of this data dir (settings.sandbox_session_name); its name."""
    data_dir = str(state["data_dir"])
    is_default = Path(data_dir).resolve() == control.resolve_dir(None)
    name = settings.sandbox_session_name(
        data_dir, port=int(state["port"]), is_default_dir=is_default, requested=app.options.session
    )
    # The session holds no secret: it is read from the sandbox's state file (settings._from_sandbox).
    settings.save_session(
        settings.Session(
            name=name,
            url=state["url"],
            tenant=state["tenant"],
            user=state["user"],
            kind="sandbox",
            sandbox_data_dir=data_dir,
        )
    )
    return name


def _serve_in_foreground(
    app: App, data_dir: Path | None, port: int | None, faults: list[str], options: dict[str, Any]
) -> None:
    config = control.make_options(data_dir, port=port, faults=faults, **options)
    state = {
        "url": control.status_url(config),
        "tenant": config.tenant,
        "user": config.admin_user,
        "data_dir": str(config.data_dir),
        "port": config.port,
    }
    app.message(f"Session {_save_session(app, state)!r} selected. Stop with Ctrl-C.")
    import gc

    gc.enable()  # off since start-up (cli/main.entry) and no client turns it on: a server runs for long
    control.serve(config)


DEFAULT_DEVICES = 10  # a new data dir's fleet when --devices is not given
MAX_DEVICES = 100_000  # the seed writes every device at the first start: beyond this it never ends
DevicesOption = Annotated[
    int | None,
    typer.Option(
        "--devices",
        metavar="N",
        min=0,
        max=MAX_DEVICES,
        help=f"Devices of a new data dir (default {DEFAULT_DEVICES}); a data dir keeps its fleet.",
        show_default=False,
    ),
]
PortOption = Annotated[
    int | None,
    typer.Option(
        "--port",
        metavar="P",
        min=0,
        max=65535,
        help="Port (default 8111 if free, 0 any free).",
        show_default=False,
    ),
]
OpDelayOption = Annotated[
    float, typer.Option("--op-delay", metavar="SECONDS", min=0, help="Time per operation state change.")
]
FailureRateOption = Annotated[
    float,
    typer.Option("--failure-rate", metavar="F", min=0, max=1, help="Share of devices whose operations fail."),
]
SilentRateOption = Annotated[
    float,
    typer.Option("--silent-rate", metavar="F", min=0, max=1, help="Share of devices that never answer."),
]
AlarmRateOption = Annotated[
    float,
    typer.Option(
        "--alarm-rate",
        metavar="F",
        min=0,
        max=1,
        help="Share of devices that raise a c8y_HealthCheckAlarm after a successful update.",
    ),
]
FaultOption = Annotated[
    list[str] | None,
    typer.Option(
        "--fault",
        metavar="RULE",
        help=(
            "Inject faults: PATTERN:KIND[:RATE[:SECONDS]], KIND latency|429|503|drop, PATTERN a regex on "
            "'METHOD /path'. Repeatable."
        ),
    ),
]


@command(group, "start")
def start(
    app: App,
    port: PortOption = None,
    devices: DevicesOption = None,
    data_dir: DataDir = None,
    foreground: Annotated[
        bool, typer.Option("--foreground", help="Run in this terminal until Ctrl-C.")
    ] = False,
    seed: Annotated[int, typer.Option("--seed", metavar="S", help="Seed of the simulation and faults.")] = 42,
    op_delay: OpDelayOption = 0.5,
    failure_rate: FailureRateOption = 0.0,
    silent_rate: SilentRateOption = 0.0,
    alarm_rate: AlarmRateOption = 0.0,
    fault: FaultOption = None,
) -> None:
    """Start a sandbox tenant in the background and select its session.

    Each data dir has its own session: "sandbox" for the default data dir, "sandbox-<port>" for
    another one, or the name given with --session; the message says which was selected.

    Example:
      c8ydm sandbox start
      c8ydm sandbox start --port 0 --devices 100 --failure-rate 0.1 --fault "POST /inventory/.*:429:0.5"
      c8ydm sandbox start --data-dir ./rehearsal --session rehearsal
    """
    if app.options.session:  # a name taken by another data dir or tenant: refused before anything starts
        target = str(control.resolve_dir(data_dir))
        settings.sandbox_session_name(target, port=0, is_default_dir=False, requested=app.options.session)
    options: dict[str, Any] = {
        "devices": DEFAULT_DEVICES if devices is None else devices,
        "seed": seed,
        "op_delay_seconds": op_delay,
        "failure_rate": failure_rate,
        "silent_rate": silent_rate,
        "alarm_rate": alarm_rate,
    }
    try:
        if foreground:
            return _serve_in_foreground(app, data_dir, port, fault or [], options)
        state = control.start(data_dir, port=port, faults=fault or [], seed_wait=SEED_WAIT_SECONDS, **options)
    except PortError as error:
        raise InputError(str(error), hint="choose another --port, or --port 0 for any free one") from None
    except ValueError as error:
        raise InputError(str(error), hint="A fault rule reads PATTERN:KIND[:RATE[:SECONDS]].") from None
    except control.SandboxError as error:
        raise TransportError(str(error), hint="See the sandbox log in its data dir.") from None
    session = _save_session(app, state)
    app.message(
        f"Sandbox running at {state['url']} (tenant {state['tenant']}, data dir {state['data_dir']}); "
        f"session {session!r} selected."
    )
    _seeding_note(app, state)
    _fleet_note(app, state, devices)
    app.render(_record(state, session), columns=COLUMNS)


@command(group, "status")
def status(app: App, data_dir: DataDir = None) -> None:
    """Show whether the sandbox runs, its URL and its (local, throwaway) credentials.

    Example:
      c8ydm sandbox status -o json
    """
    state = control.status(data_dir)
    _seeding_note(app, state)
    mine = settings.sandbox_session_of(str(state["data_dir"]))
    app.render(_record(state, mine.name if mine else None), columns=COLUMNS)


@command(group, "stop")
def stop(app: App, data_dir: DataDir = None) -> None:
    """Stop the sandbox; its data stays for the next start.

    Example:
      c8ydm sandbox stop
    """
    stopped = control.stop(data_dir)
    app.message("Sandbox stopped." if stopped else "The sandbox was not running.")
    app.render({"stopped": stopped, "data_dir": str(control.resolve_dir(data_dir))})


@command(group, "reset")
def reset(app: App, data_dir: DataDir = None) -> None:
    """Stop the sandbox and delete its data and credentials (a throwaway local tenant: no prompt).

    Example:
      c8ydm sandbox reset
    """
    directory = control.resolve_dir(data_dir)
    control.reset(directory)
    app.message(f"Sandbox data in {directory} deleted.")
    app.render({"reset": True, "data_dir": str(directory)})
