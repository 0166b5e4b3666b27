"""The command registration table and the lazy root group.

To add a group or a top-level command, add one row to ``COMMANDS``: its name, ``"module:attribute"``
(a ``typer.Typer`` made with ``options.new_group``, or a function decorated with
``options.command()``) and the one-line help shown by ``c8ydm --help``. Modules are imported only
when their command runs (or its --help is asked for), so ``c8ydm --help`` imports no command module,
and neither httpx, pydantic, keyring nor Rich.
"""

from __future__ import annotations

import importlib
from difflib import get_close_matches
from typing import Any, NamedTuple

import typer
import typer.main
from typer.core import TyperGroup

from c8ydm import __version__
from c8ydm.cli import coercion
from c8ydm.cli.options import help_text


class Entry(NamedTuple):
    name: str
    target: str  # "package.module:attribute"
    help: str


COMMANDS: tuple[Entry, ...] = (
    Entry("login", "c8ydm.cli.commands.session:login", "Log in to a tenant and save the session."),
    Entry("logout", "c8ydm.cli.commands.session:logout", "Forget a session and its secret in the keyring."),
    Entry("session", "c8ydm.cli.commands.session:group", "List, show, select and delete saved sessions."),
    Entry(
        "device",
        "c8ydm.cli.commands.device:group",
        "List, show and change devices; fetch configuration snapshots.",
    ),
    Entry("operation", "c8ydm.cli.commands.operation:group", "Show, wait for and cancel device operations."),
    Entry(
        "group",
        "c8ydm.cli.commands.group:group",
        "List, show, create and delete groups; add and remove devices.",
    ),
    Entry("bulk", "c8ydm.cli.commands.bulk:group", "Create, list, show, cancel and retry bulk operations."),
    Entry(
        "rollout",
        "c8ydm.cli.commands.rollout:group",
        "Roll out in waves with health gates; resume from anywhere.",
    ),
    Entry(
        "firmware",
        "c8ydm.cli.commands.firmware:group",
        "Manage the firmware repository: entries, versions and patches.",
    ),
    Entry(
        "software",
        "c8ydm.cli.commands.software:group",
        "Manage the software repository: entries and their versions.",
    ),
    Entry(
        "config",
        "c8ydm.cli.commands.config:group",
        "Manage the configuration repository.",
    ),
    Entry(
        "profile",
        "c8ydm.cli.commands.profile:group",
        "Manage device profiles and see which devices drifted from them.",
    ),
    Entry(
        "credentials",
        "c8ydm.cli.commands.credentials:group",
        "Device credentials: list, roles, access, delete, register.",
    ),
    Entry(
        "registration",
        "c8ydm.cli.commands.registration:group",
        "List, add, accept and delete new device requests.",
    ),
    Entry(
        "certificates",
        "c8ydm.cli.commands.certificates:group",
        "Trusted certificates, proof of possession, CRL and tenant CA.",
    ),
    Entry(
        "sandbox", "c8ydm.cli.commands.sandbox:group", "Run a local sandbox tenant with simulated devices."
    ),
)

ROOT_HELP = """Device management for Cumulocity IoT tenants: firmware, software and configuration
repositories, devices, bulk operations and rollouts, with a local sandbox tenant.

Every command accepts the common options -o/--output, --session, --dry-run, -y/--yes,
-v/--verbose and --timeout after its name. Run `c8ydm COMMAND --help` for a command's options,
and `c8ydm --version` for the version.

Example:
  c8ydm login https://t12345.eu-latest.cumulocity.com --user alice
  c8ydm session list -o json"""


def _plain(command: Any) -> Any:
    """Plain click help everywhere (consistent, and no Rich on the help path)."""
    command.rich_markup_mode = None
    for sub in getattr(command, "commands", {}).values():
        _plain(sub)
    return command


def load(entry: Entry) -> Any:
    """Import an entry's module and turn its Typer app or decorated function into a click command."""
    module_name, _, attribute = entry.target.partition(":")
    target = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(rich_markup_mode=None, add_completion=False, cls=coercion.DeferredGroup)
        single.command(entry.name, help=target.__doc__, cls=coercion.DeferredCommand)(target)
        target = single
    command = typer.main.get_command(target)
    command.name = entry.name
    command.help = command.help or entry.help
    return _plain(command)


class LazyGroup(coercion.Deferring, TyperGroup):
    """The root group: lists commands from the table, imports one only when it is used."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [entry.name for entry in COMMANDS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        entry = next((e for e in COMMANDS if e.name == cmd_name), None)
        if cmd_name not in self.commands and entry is not None:
            self.commands[cmd_name] = load(entry)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # Each table help is one line (test_cli_startup): never wrapped, even when the longest
        # command name ("registration") leaves less than 80 columns for it.
        rows = [(entry.name, entry.help) for entry in COMMANDS]
        needed = formatter.current_indent + 2 + max(len(name) for name, _ in rows) + 2
        needed += max(len(text) for _, text in rows)
        width, formatter.width = formatter.width, max(formatter.width, needed)
        with formatter.section("Commands"):
            formatter.write_dl(rows)
        formatter.width = width

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return self._click_resolve_command(ctx, args)
        except typer.TyperException as error:
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if matches and hasattr(error, "message"):
                error.message = f"{error.message.rstrip('.')}. Did you mean {matches[0]!r}?"
            raise


def build_root() -> LazyGroup:
    return LazyGroup(
        name="c8ydm",
        help=help_text(ROOT_HELP),
        no_args_is_help=True,
        rich_markup_mode=None,
        epilog=f"c8ydm {__version__}",
    )
