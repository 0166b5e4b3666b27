"""The ``c8ydm`` entry point: completion fast path, then the commands, and the one error handler.

Order matters for speed: a completion request is answered before Typer is imported (it runs on
every key press), and the command tree is built lazily (``cli/app.py``). Every expected failure
ends here as one ``Error:`` line (and ``Hint:``) on stderr, plus ``{"error": {...}}`` on stdout
when the output format is json or jsonl, with the exit code of ``cli/exitcodes.py``.
"""

from __future__ import annotations

import os
import sys

from c8ydm import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: the completion path must not import typing
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

REPORT_HINT = "This is a bug in c8ydm. Please report it with the command you ran"


def _flag_value(args: Sequence[str], short: str, long: str) -> str | None:
    """The value of an option as typed (for errors raised before the options were parsed)."""
    for i, arg in enumerate(args):
        if arg in (short, long) and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(long + "="):
            return arg[len(long) + 1 :]
        if arg.startswith(short) and len(arg) > len(short) and not arg.startswith("--"):
            return arg[len(short) :]
    return None


def _output_for(args: Sequence[str]) -> Any:
    from c8ydm.cli.context import current_app
    from c8ydm.cli.output import FORMATS, Output

    app = current_app()
    if app is not None:
        return app.out
    typed = _flag_value(args, "-o", "--output") or os.environ.get("C8YDM_OUTPUT")
    return Output(typed.lower() if typed and typed.lower() in FORMATS else None)


def _common_options_hint(args: Sequence[str]) -> str | None:
    """``c8ydm -o json firmware list``: the common options belong after the command."""
    import shlex

    from c8ydm.cli.options import common_options_moved

    moved = common_options_moved(list(args))
    if moved is None:
        return None
    if moved[0].startswith("-"):  # no command was typed at all
        return "Common options go after the command, e.g. `c8ydm firmware list -o json`."
    return f"Common options go after the command: `c8ydm {shlex.join(moved)}`."


def _describe(error: BaseException, args: Sequence[str] = ()) -> tuple[int, str, str, str | None]:
    """(exit code, kind, message, hint) of any exception."""
    import typer

    from c8ydm.api.errors import C8yError
    from c8ydm.cli.exitcodes import ExitCode, exit_code_for

    if isinstance(error, C8yError):
        return exit_code_for(error), error.kind, error.message, error.hint
    if isinstance(error, typer.TyperException):  # click's usage errors (exit 2) and friends
        ctx = getattr(error, "ctx", None)
        hint = f"Run `{ctx.command_path} --help` for usage." if ctx is not None else None
        if ctx is not None and ctx.parent is None and error.__class__.__name__ == "NoSuchOption":
            hint = _common_options_hint(args) or hint
        return error.exit_code, "usage", error.format_message(), hint
    if isinstance(error, (KeyboardInterrupt, typer.Abort)):
        return ExitCode.INTERRUPTED, "interrupted", "Interrupted.", None
    message = f"Unexpected error: {type(error).__name__}: {error}"
    return ExitCode.INTERNAL, "internal", message, f"{REPORT_HINT} (add --verbose for a traceback)."


def _sandbox_hint(error: BaseException, app: Any) -> str | None:
    """For a sandbox session that nothing answers: how to start that sandbox."""
    from c8ydm.api.errors import CannotConnectError

    connection = getattr(app, "used_connection", None)
    data_dir = getattr(connection, "sandbox_data_dir", None)
    if not isinstance(error, CannotConnectError) or not data_dir:
        return None
    import shlex
    from pathlib import Path

    from c8ydm.sandbox.instance import default_data_dir

    is_default = Path(data_dir).resolve() == default_data_dir().resolve()
    command = "c8ydm sandbox start" + ("" if is_default else f" --data-dir {shlex.quote(data_dir)}")
    return f"The sandbox is not running: start it with `{command}`."


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so nothing buffered for the closed pipe fails again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file descriptor behind stdout
        pass


def report(error: BaseException, args: Sequence[str]) -> int:
    """Tell the user about ``error`` on stderr (and stdout in json mode); return the exit code."""
    from c8ydm.cli.context import current_app

    if type(error).__name__ == "OutputClosedError":  # `| head` stopped reading: leave quietly
        _silence_stdout()
        from c8ydm.cli.exitcodes import ExitCode

        return int(ExitCode.OUTPUT_CLOSED)
    if type(error).__name__ == "NoArgsIsHelpError":  # `c8ydm session`: help on stderr, exit 2
        error.show()  # type: ignore[attr-defined]
        return 2
    code, kind, message, hint = _describe(error, args)
    out = _output_for(args)
    app = current_app()
    hint = _sandbox_hint(error, app) or hint
    is_verbose = app.options.verbose if app else bool({"-v", "--verbose"} & set(args))
    if kind == "internal" and (is_verbose or os.environ.get("C8YDM_DEBUG") == "1"):
        import traceback

        traceback.print_exception(error, file=out.stderr)
    out.error(message, hint)
    if out.format in ("json", "jsonl"):
        out.error_object(int(code), kind, message, hint, getattr(error, "details", None))
    return int(code)


def exit_status(done: SystemExit) -> int:
    """The process exit status of a ``SystemExit``, as Python gives it (None 0, text 1)."""
    return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)


def run(args: Sequence[str]) -> int:
    """Run one command line; returns the exit code instead of raising."""
    from c8ydm.cli.context import reset_current

    reset_current()
    try:
        from c8ydm.cli.app import build_root

        result = build_root().main(list(args), prog_name="c8ydm", standalone_mode=False)
    except SystemExit as done:
        return exit_status(done)
    except BaseException as error:
        return report(error, args)
    if result == 130:  # Typer turns KeyboardInterrupt into Exit(130)
        return report(KeyboardInterrupt(), args)
    return result if isinstance(result, int) else 0


# The values of PYDANTIC_DISABLE_PLUGINS with which pydantic's get_plugins() answers () at once.
PLUGINS_DISABLED = ("__all__", "1", "true")
PLUGIN_LOADER = "pydantic.plugin._loader"


def _stand_in_for_plugin_loader() -> None:
    """With plugins disabled, pydantic's plugin loader answers no plugins, but importing it still
    imports importlib.metadata (and with it email, zipfile, tempfile): ~12 ms of every command's
    start-up (issue 13). A stand-in whose ``get_plugins()`` gives the same answer is put in its
    place; pydantic imports nothing else from it (tests/cli/test_cli_startup.py checks both)."""
    if PLUGIN_LOADER in sys.modules:
        return
    import types

    stand_in = types.ModuleType(PLUGIN_LOADER, "c8ydm: pydantic plugins are disabled")
    stand_in.get_plugins = tuple  # type: ignore[attr-defined]  # get_plugins() -> (): no plugins
    sys.modules[PLUGIN_LOADER] = stand_in


def main(argv: Sequence[str] | None = None) -> None:
    instruction = os.environ.get("_C8YDM_COMPLETE")
    if instruction:  # before anything else is imported: this runs on every key press
        from c8ydm.cli.completion import run as complete

        sys.exit(complete(instruction))
    # pydantic looks for plugins in every installed distribution's entry points when the first model
    # is built (importlib.metadata, ~20 ms); c8ydm's models use none. An explicit setting wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] in PLUGINS_DISABLED:
        _stand_in_for_plugin_loader()
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        sys.stdout.write(f"c8ydm {__version__}\n")
        sys.exit(0)
    sys.exit(run(args))


def entry() -> None:
    """The console script and ``python -m c8ydm``: ``main()``, then an immediate exit.

    Once the command has finished, tearing the interpreter down (module by module, every object
    freed) only delays the shell by 20-30 ms: the output is flushed and the process ends with
    ``os._exit``. Nothing is lost: c8ydm registers no atexit work, files are closed by the
    commands, and worker threads (page prefetch, hashing) have nothing left to do.

    The garbage collector is off while the command line starts (imports and the command tree
    allocate nothing cyclic worth collecting; ~10% of start-up): ``App.client()`` freezes what
    start-up loaded and turns it back on before the first request.
    """
    import gc

    gc.disable()
    try:
        main()
        code = 0
    except SystemExit as done:
        if not (isinstance(done.code, int) or done.code is None):
            sys.stderr.write(f"{done.code}\n")  # what Python prints for sys.exit("text")
        code = exit_status(done)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader went away while the last lines were written
            if stream is sys.stdout and code == 0:
                code = 141
    os._exit(code)
