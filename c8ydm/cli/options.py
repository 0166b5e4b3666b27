"""The ``@command`` decorator: common options on every leaf command, and an App for its body.

A command author writes only the command's own parameters; ``@command`` appends ``-o/--output``,
``--session``, ``--dry-run``, ``-y/--yes``, ``-v/--verbose`` and ``--timeout`` (cli-surface.md,
"Options every command accepts") to the signature Typer reads, and calls the function with an
:class:`~c8ydm.cli.context.App` holding them::

    group = new_group("Manage the firmware repository.")

    @command(group, "list")
    def list_firmware(app: App, name: Annotated[str | None, typer.Option(help="...")] = None) -> None:
        \"\"\"List firmware. ... Example: c8ydm firmware list -o json\"\"\"

Help comes from the docstring; the paragraphs from an ``Example:`` line on keep their line breaks.
"""

from __future__ import annotations

import functools
import inspect
import re
import typing
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any

import typer

from c8ydm.cli.coercion import DeferredCommand, DeferredGroup
from c8ydm.cli.completion import DYNAMIC_MARKER, PACKAGE_SUFFIX, read_name_cache
from c8ydm.cli.context import App, CommonOptions
from c8ydm.cli.output import OutputClosedError

PREFIX = "common_"  # Python names of the common parameters, so that they never clash with a command's
_EXAMPLE_HEADING = re.compile(r"^Examples?:\s*$", re.MULTILINE)
INDEXING = {"active": False}  # set by scripts/gen_completions.py while it reads the command tree


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def complete_names(kind: str) -> Callable[[], list[str]]:
    """An ``autocompletion=`` for NAME arguments: names from the local cache, never the network."""

    def names() -> list[str]:
        return [DYNAMIC_MARKER + kind] if INDEXING["active"] else read_name_cache(kind)

    return names


_DIGITS = re.compile(r"[0-9]+")


def numeric_id(value: str) -> str:
    """A Cumulocity id typed by a user (an operation or bulk operation id): digits only.

    Checked while the command line is parsed, so ``bulk show abc`` exits 2 before any request
    instead of asking the tenant for ``/devicecontrol/bulkoperations/abc``. Surrounding blanks go.
    """
    text = value.strip()
    if not _DIGITS.fullmatch(text):
        raise typer.BadParameter(f"{value!r} is not an id: ids are digits only, e.g. 10060.")
    return text


def id_argument(help: str, *, metavar: str = "ID") -> Any:
    """A positional id (or ids, with a list annotation) validated by :func:`numeric_id`.

    ``BulkId = Annotated[str, id_argument("Bulk operation id.")]``
    """
    return typer.Argument(metavar=metavar, parser=numeric_id, help=help, show_default=False)


def id_option(*decls: str, help: str, metavar: str = "ID") -> Any:
    """An option taking an id, validated by :func:`numeric_id` (e.g. ``--from-operation ID``)."""
    return typer.Option(*decls, metavar=metavar, parser=numeric_id, help=help, show_default=False)


def complete_packages(repository: str) -> Callable[[], list[str]]:
    """An ``autocompletion=`` for NAME@VERSION options (``--firmware``, ``--software``): the cached
    NAME@VERSION pairs of ``repository`` (from ``show`` and ``add``) and its names (from ``list``)."""
    return complete_names(repository + PACKAGE_SUFFIX)


def _option(*decls: str, **kwargs: Any) -> Any:
    return typer.Option(*decls, rich_help_panel="Common options", **kwargs)


_COMMON: list[tuple[str, Any, Any]] = [
    (
        "output",
        OutputFormat | None,
        _option(
            "-o",
            "--output",
            envvar="C8YDM_OUTPUT",
            case_sensitive=False,
            show_default=False,
            help="Output format (default: table on a terminal, json otherwise).",
        ),
    ),
    (
        "session",
        str | None,
        _option(
            "--session",
            envvar="C8YDM_SESSION",
            metavar="NAME",
            show_default=False,
            autocompletion=complete_names("session"),
            help="Saved session to use (default: the current one).",
        ),
    ),
    (
        "dry_run",
        bool,
        _option(
            "--dry-run", envvar="C8YDM_DRY_RUN", help="Send no change; print each request as a JSON line."
        ),
    ),
    ("yes", bool, _option("-y", "--yes", help="Assume yes for confirmations.")),
    ("verbose", bool, _option("-v", "--verbose", help="Log each HTTP request to stderr (never secrets).")),
    (
        "timeout",
        float | None,
        _option(
            "--timeout",
            envvar="C8YDM_TIMEOUT",
            metavar="SECONDS",
            min=0,
            show_default=False,
            help="Overall deadline for commands that wait.",
        ),
    ),
]


def _names(info: Any) -> list[str]:
    # With Annotated, Typer reads the first positional of typer.Option as a name, kept in `default`.
    return [d for d in (info.default, *info.param_decls) if isinstance(d, str) and d.startswith("-")]


# Names of the common options, for the hint when they are typed before the command (`c8ydm -o json x`).
COMMON_FLAGS = frozenset(d for _, kind, info in _COMMON if kind is bool for d in _names(info))
COMMON_VALUE_OPTIONS = frozenset(d for _, kind, info in _COMMON if kind is not bool for d in _names(info))


def common_options_moved(args: list[str]) -> list[str] | None:
    """``args`` with the common options typed before the command moved after it; None if there are none.

    ``["-o", "json", "firmware", "list"]`` -> ``["firmware", "list", "-o", "json"]``.
    """
    moved: list[str] = []
    rest = list(args)
    while rest and rest[0].startswith("-"):
        word = rest[0]
        name = word.split("=", 1)[0]
        if word in COMMON_FLAGS:
            moved.append(rest.pop(0))
        elif word in COMMON_VALUE_OPTIONS and len(rest) > 1:
            moved += [rest.pop(0), rest.pop(0)]
        elif name in COMMON_VALUE_OPTIONS or (word[:2] in COMMON_VALUE_OPTIONS and not word.startswith("--")):
            moved.append(rest.pop(0))  # --output=json, -ojson
        else:
            return None
    return [*rest, *moved] if moved else None


_COMMON_PARAMETERS = [
    inspect.Parameter(
        PREFIX + name,
        inspect.Parameter.KEYWORD_ONLY,
        default=False if kind is bool else None,
        annotation=Annotated[kind, info],
    )
    for name, kind, info in _COMMON
]


def help_text(doc: str | None) -> str:
    """A docstring as click help: the Example section's paragraphs are marked not to be re-wrapped."""
    text = inspect.cleandoc(doc or "")
    match = _EXAMPLE_HEADING.search(text)
    if not match:
        return text
    head, example = text[: match.start()], text[match.start() :]
    return head + "\n\n".join("\b\n" + paragraph for paragraph in example.split("\n\n"))


def new_group(help: str | None = None) -> typer.Typer:
    """A command group with c8ydm's settings (plain help, no completion-install options)."""
    return typer.Typer(
        help=help_text(help) if help else None,
        rich_markup_mode=None,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        cls=DeferredGroup,
    )


def command(
    group: typer.Typer | None = None, name: str | None = None, **settings: Any
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register ``fn(app, **own_options)`` in ``group`` (or return it for the table, when None)."""

    def decorate(fn: Callable[..., None]) -> Callable[..., None]:
        hints = typing.get_type_hints(fn, include_extras=True)
        own = [
            p.replace(annotation=hints.get(p.name, p.annotation))
            for p in list(inspect.signature(fn).parameters.values())[1:]
        ]
        clash = {p.name for p in own} & {p.name for p in _COMMON_PARAMETERS}
        if clash:
            raise TypeError(f"{fn.__qualname__}: parameter names reserved for common options: {clash}")

        @functools.wraps(fn)
        def run(**kwargs: Any) -> None:
            common = {name: kwargs.pop(PREFIX + name) for name, _, _ in _COMMON}
            output = common.pop("output")
            try:
                with App(CommonOptions(output=output.value if output else None, **common)) as app:
                    fn(app, **kwargs)
            except BrokenPipeError as closed:  # network writes fail as TransportError, not this
                raise OutputClosedError() from closed

        parameters = [*own, *_COMMON_PARAMETERS]
        run.__signature__ = inspect.Signature(parameters, return_annotation=None)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in parameters}
        run.__doc__ = help_text(fn.__doc__)
        if group is not None:
            group.command(name, help=run.__doc__, cls=DeferredCommand, **settings)(run)
        return run

    return decorate
