"""Progress for people, on stderr: bytes of an upload or download, and live operation status.

On a terminal these are Rich progress displays (``rich.progress`` is imported only when one is
shown). When stderr is not a terminal (CI logs, ``2>file``) they print one plain line per event
instead: a start and an end for transfers, one line per status change for operations.
Commands get them from ``App.upload_progress`` / ``App.download_progress`` /
``App.operation_progress``; procedures receive the bound methods (``advance``, ``update``) as plain
callbacks and never see Rich.

Labels hold names from users and devices: they are shown literally (``TextColumn(markup=False)``,
control characters escaped by ``output.printable``), never read as Rich markup.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from c8ydm.api.models.status import is_terminal_text
from c8ydm.cli.output import Output, is_terminal, printable


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n} B"  # unreachable; keeps mypy sure of the return


class _Display:
    """Shared enter/exit: a live Rich display on a terminal, plain lines otherwise."""

    def __init__(self, out: Output) -> None:
        self.out = out
        self.is_live = is_terminal(out.stderr)
        self.progress: Any = None

    def _columns(self) -> list[Any]:
        raise NotImplementedError

    def __enter__(self) -> _Display:
        if self.is_live:
            from rich.progress import Progress

            self.progress = Progress(*self._columns(), console=self.out.console(self.out.stderr))
            self.progress.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.progress is not None:
            self.progress.stop()


class TransferProgress(_Display):
    """Bytes moved of one file, as "<verb> <label>" (``Uploading fw.bin``, ``Downloading fw 1.0``).

    Two callbacks: ``advance(n)`` adds a chunk (uploads: the api's ``ProgressCallback`` is wrapped by
    the procedure), ``update(done, total)`` sets the bytes so far and the total when it becomes
    known (downloads: the api's ``DownloadProgress``, whose total is the Content-Length or None).
    The bar, or the plain start line, appears with the total or the first bytes, whichever is first:
    a download that fails while its version is still being looked up shows nothing.
    """

    def __init__(
        self,
        out: Output,
        label: str,
        total_bytes: int | None,
        *,
        verb: str = "Uploading",
        done_verb: str = "Uploaded",
    ) -> None:
        super().__init__(out)
        self.label, self.total, self.sent = label, total_bytes, 0
        self.verb, self.done_verb = verb, done_verb
        self._task: Any = None
        self._has_begun = False

    def _columns(self) -> list[Any]:
        from rich.progress import BarColumn, DownloadColumn, TextColumn, TransferSpeedColumn

        return [
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
        ]

    def __enter__(self) -> TransferProgress:
        super().__enter__()
        if self.total is not None:
            self._begin()
        return self

    def _begin(self) -> None:
        self._has_begun = True
        if self.progress is not None:
            self._task = self.progress.add_task(printable(self.label), total=self.total, completed=self.sent)
        else:
            size = f" ({_size(self.total)})" if self.total is not None else ""
            self.out.message(f"{self.verb} {self.label}{size}")

    def advance(self, n: int) -> None:
        """``n`` more bytes moved."""
        self.update(self.sent + n, self.total)

    def update(self, done: int, total: int | None = None) -> None:
        """``done`` bytes moved so far, of ``total`` (None: unknown, or unchanged)."""
        self.sent = done
        self.total = total if total is not None else self.total
        if not self._has_begun:
            self._begin()
        elif self.progress is not None:
            self.progress.update(self._task, completed=self.sent, total=self.total)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        super().__exit__(exc_type, exc, tb)
        if self.progress is None and exc is None:
            self.out.message(f"{self.done_verb} {self.label} ({_size(self.sent)})")


class UploadProgress(TransferProgress):
    """Bytes sent of one file; ``advance(n)`` is the callback a procedure calls per chunk."""

    def __init__(self, out: Output, label: str, total_bytes: int) -> None:
        super().__init__(out, label, total_bytes, verb="Uploading", done_verb="Uploaded")

    def __enter__(self) -> UploadProgress:
        super().__enter__()
        return self


class OperationProgress(_Display):
    """Live status of operations (PENDING -> EXECUTING -> SUCCESSFUL/FAILED), one row each."""

    def __init__(self, out: Output) -> None:
        super().__init__(out)
        self._tasks: dict[str, Any] = {}
        self._last: dict[str, str] = {}

    def _columns(self) -> list[Any]:
        from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.table import Column

        # A long description folds onto a second line rather than cutting off the status at its end.
        return [
            SpinnerColumn(finished_text="-"),
            TextColumn("{task.description}", markup=False, table_column=Column(overflow="fold")),
            TimeElapsedColumn(),
        ]

    def __enter__(self) -> OperationProgress:
        super().__enter__()
        return self

    def update(self, key: str, status: str, label: str = "") -> None:
        """Report ``status`` of operation ``key``; repeated reports of the same status are quiet."""
        if self._last.get(key) == status:
            return
        self._last[key] = status
        text = printable(f"operation {key}{f' ({label})' if label else ''}: {status}")
        if self.progress is None:
            self.out.message(text)
            return
        is_final = is_terminal_text(status)
        if key not in self._tasks:
            self._tasks[key] = self.progress.add_task(text, total=1)
        self.progress.update(self._tasks[key], description=text, completed=1 if is_final else 0)
