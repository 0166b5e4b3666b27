"""The App handed to every command: parsed common options, the output layer, a lazy client.

Nothing heavy is imported here at module level: the client (httpx, pydantic) is built on the first
``app.client()`` call, so commands that never talk to a tenant never pay for it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

from c8ydm.cli.output import Column, Output, View, is_terminal, printable, to_plain

if TYPE_CHECKING:
    from c8ydm.api.client import Client
    from c8ydm.cli.progress import OperationProgress, RolloutProgress, TransferProgress, UploadProgress
    from c8ydm.settings import Connection


@dataclass(frozen=True)
class CommonOptions:
    """The options every command accepts (cli-surface.md); ``output`` None means "decide by tty"."""

    output: str | None = None
    session: str | None = None
    dry_run: bool = False
    yes: bool = False
    verbose: bool = False
    timeout: float | None = None


GC_YOUNG_THRESHOLD = 50_000  # allocations between two young collections while a command runs (Python: 700)
_current: list[App] = []  # the App of the running command, for main()'s error report


def current_app() -> App | None:
    return _current[-1] if _current else None


def reset_current() -> None:
    """Forget the Apps of earlier runs (main() runs several command lines in one process in tests)."""
    _current.clear()


class App:
    """What a command body works with: ``render``, ``message``, ``confirm``, ``client``, progress."""

    def __init__(
        self,
        options: CommonOptions | None = None,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.options = options or CommonOptions()
        self.environ = os.environ if environ is None else environ
        self.stdin = stdin or sys.stdin
        self.out = Output(self.options.output, stdout=stdout, stderr=stderr, environ=self.environ)
        self._client: Client | None = None
        self._gc_threshold = gc.get_threshold()
        self._gc_was_enabled = gc.isenabled()
        self.used_connection: Connection | None = None  # for error hints (main.report)

    def __enter__(self) -> App:
        _current.append(self)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
            # The collector as client() found it: off under the entry point, which then exits at
            # once (a full collection of everything unfrozen here cost a listing 4 ms, issue 13).
            if not self._gc_was_enabled:
                gc.disable()
            gc.unfreeze()
            gc.set_threshold(*self._gc_threshold)
        # Stays current on failure, so that main() reports the error in this command's format.
        if exc is None and self in _current:
            _current.remove(self)

    # --- output --------------------------------------------------------------------------------
    @property
    def output_format(self) -> str:
        return self.out.format

    def render(self, data: Any, columns: Sequence[Column] | None = None) -> None:
        """Print the command's result on stdout in the chosen format (see Output.render)."""
        self.out.render(data, columns=columns)

    def show(self, view: View) -> None:
        """Print a result's view: the document as json/jsonl, its rows as csv, card and rows as a table."""
        if self.output_format in ("json", "jsonl"):
            self.out.render(view.document)
        elif self.output_format == "csv":
            self.out.render(view.csv_rows(), columns=view.columns)
        else:
            if view.card is not None:
                self.out.render(dict(view.card))
            table = view.table()
            if table is not None:
                self.out.render(table[0], columns=table[1])

    @contextlib.contextmanager
    def showing_result_on_failure(self, make_view: Callable[[Any], View]) -> Iterator[None]:
        """A failure that carries the result it came after (``C8yError.result``: a bulk operation
        that ended with failures, operations waited for) still prints that result, through the
        command's view: in json and jsonl as the error object's ``details``, otherwise as the usual
        table or csv on stdout before the error goes to stderr."""
        from c8ydm.api.errors import C8yError

        try:
            yield
        except C8yError as error:
            if error.result is not None and error.details is None:
                view = make_view(error.result)
                if self.output_format in ("json", "jsonl"):
                    document = view.document
                    error.details = to_plain(list(document) if isinstance(document, Iterator) else document)
                else:
                    self.show(view)
            raise

    def show_outcome(self, view: View, check: Callable[[], None]) -> None:
        """Print a result, then fail if ``check`` raises (several items changed, some failed: exit 14).

        A table or csv shows the result before the error goes to stderr; json and jsonl print one
        document: the result, or on failure the error object with the result as its ``details``.
        """
        from c8ydm.api.errors import C8yError

        if self.output_format not in ("json", "jsonl"):
            self.show(view)
            check()
            return
        try:
            check()
        except C8yError as error:
            document = view.document
            error.details = to_plain(list(document) if isinstance(document, Iterator) else document)
            raise
        self.show(view)

    def write_data(self, data: bytes) -> None:
        """Put data on stdout exactly as it is: a file's content is the output (a snapshot preview)."""
        stream = self.out.stdout
        stream.flush()
        binary = getattr(stream, "buffer", None)
        if binary is not None:
            binary.write(data)
            binary.flush()
        else:  # a text-only stream (tests): the data was checked to be text before
            stream.write(data.decode("utf-8", "replace"))
            stream.flush()

    @property
    def is_stdout_terminal(self) -> bool:
        """Whether stdout is a terminal (raw binary data is never written to one)."""
        return is_terminal(self.out.stdout)

    def message(self, text: str) -> None:
        """A line for people on stderr (never data)."""
        self.out.message(text)

    def warning(self, text: str) -> None:
        self.out.warning(text)

    @property
    def is_interactive(self) -> bool:
        """True when stdin is a terminal: prompts are allowed."""
        return is_terminal(self.stdin)

    def confirm(self, message: str) -> bool:
        """Ask "message [y/N]" on stderr. ``--yes`` answers yes; without a terminal it refuses.

        A dry run changes nothing, so it needs no confirmation: it goes on to print the requests.
        """
        if self.options.yes or self.options.dry_run:
            return True
        if not self.is_interactive:
            from c8ydm.api.errors import InputError

            raise InputError(
                f"{message} Needs confirmation, and stdin is not a terminal.", hint="Add --yes to confirm."
            )
        self.out.prompt(f"{message} [y/N] ")
        return self.stdin.readline().strip().lower() in ("y", "yes")

    def ask(self, question: str, *, is_secret: bool = False, hint: str | None = None) -> str:
        """Prompt on the terminal (never stdout); InputError with ``hint`` when stdin is not a terminal."""
        if not self.is_interactive:
            from c8ydm.api.errors import InputError

            raise InputError(f"{question} is needed, and stdin is not a terminal to ask for it.", hint=hint)
        if is_secret:
            import getpass

            return getpass.getpass(printable(f"{question}: ")).strip()
        self.out.prompt(f"{question}: ")
        return self.stdin.readline().strip()

    def remember_names(self, kind: str, names: Iterable[str], *, is_complete: bool) -> None:
        """Cache ``names`` of ``kind`` for shell completion, per session (``completion.write_name_cache``).

        ``is_complete``: the list was unfiltered and unlimited, so it may replace the cached names;
        a filtered or limited list only adds names, never shrinks the cache.
        """
        from c8ydm.cli.completion import cache_scope, write_name_cache

        scope = cache_scope(self.options.session, self.environ)
        write_name_cache(kind, names, scope=scope, is_complete=is_complete)

    # --- progress ------------------------------------------------------------------------------
    def upload_progress(self, label: str, total_bytes: int) -> UploadProgress:
        """``with app.upload_progress(name, size) as bar: procedure(..., on_bytes=bar.advance)``."""
        from c8ydm.cli.progress import UploadProgress

        return UploadProgress(self.out, label, total_bytes)

    def download_progress(self, label: str) -> TransferProgress:
        """``with app.download_progress(name) as bar: procedure(..., on_progress=bar.update)``."""
        from c8ydm.cli.progress import TransferProgress

        return TransferProgress(self.out, label, None, verb="Downloading", done_verb="Downloaded")

    def operation_progress(self) -> OperationProgress:
        """``with app.operation_progress() as live: wait(..., on_status=live.update)``."""
        from c8ydm.cli.progress import OperationProgress

        return OperationProgress(self.out)

    def rollout_progress(self) -> RolloutProgress:
        """``with app.rollout_progress() as live: drive(ctx)`` with ``ctx.on_event = live.event``."""
        from c8ydm.cli.progress import RolloutProgress

        return RolloutProgress(self.out)

    # --- tenant --------------------------------------------------------------------------------
    def connection(self) -> Connection:
        """The connection the common options and environment select (settings.resolve_connection)."""
        from c8ydm.settings import resolve_connection

        self.used_connection = resolve_connection(self.options.session, self.environ)
        return self.used_connection

    def client(self) -> Client:
        """The Cumulocity client for this run, built once; NoSessionError (exit 3) when not logged in."""
        if self._client is None:
            self._client = self.client_for(self.connection())
            # Everything loaded so far (modules, classes: the start-up) lives as long as the command,
            # so the garbage collector stops walking it, and collects young objects less often: a
            # listing of 100,000 devices allocates millions of objects that live for one page, and
            # each collection would walk them (and all of start-up) again. Restored on exit.
            gc.freeze()
            self._gc_threshold = gc.get_threshold()
            self._gc_was_enabled = gc.isenabled()
            gc.set_threshold(GC_YOUNG_THRESHOLD, *self._gc_threshold[1:])
            gc.enable()  # the entry point starts with it off (cli/main.py entry)
            if not self._gc_was_enabled:
                # Under the entry point, which ends the process with os._exit once the command is
                # done: a listing's last page is not freed object by object just before that.
                from c8ydm.api.paging import retain_last_page

                retain_last_page()
        return self._client

    def client_for(self, connection: Connection) -> Client:
        """A client for ``connection`` wired to this run's --dry-run and --verbose output."""
        from c8ydm.api.auth import make_auth
        from c8ydm.api.client import Client

        auth = make_auth(
            login_type=connection.login_type,
            user=connection.user,
            password=connection.password,
            token=connection.token,
            tenant=connection.tenant,
        )
        from c8ydm.cli.lookups import DiskCache, lookups_path

        identity = f"{connection.url}|{connection.tenant}|{connection.user}"
        return Client(
            connection.url,
            auth,
            tenant=connection.tenant,
            cache=DiskCache(lookups_path(identity)),
            **self.client_options(insecure=connection.insecure),
        )

    def client_options(self, *, insecure: bool = False) -> dict[str, Any]:
        """Keyword arguments for ``Client`` (and ``c8ydm.api.connect``) that follow the common options."""
        return {
            "verify": not insecure,
            "dry_run": self.options.dry_run,
            "on_dry_run": self.out.dry_run_record,
            "on_request_log": (lambda log: self.out.request_log(str(log))) if self.options.verbose else None,
        }
