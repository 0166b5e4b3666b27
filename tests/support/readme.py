"""The README's code blocks, for the tests that run them as written.

A block a test runs is marked in README.md by an HTML comment on the line before its fence:
``<!-- readme-test: NAME -->``; ``marked_block(NAME)`` is its text. ``console_commands()`` are the
commands of every ```` ```console ```` block in order (a block after ``<!-- readme-test: skip -->``
is left out), each with the output the README shows for it; a ```` ```sh ```` block after
``<!-- readme-test: run -->`` (a setup the console examples rely on) is part of that sequence, its
lines as commands without shown output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
_CONSOLE = re.compile(r"^( *)```console\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
_HEREDOC = re.compile(r"<<-?\s*'?(\w+)'?")
SKIP_MARKER = "<!-- readme-test: skip -->"
RUN_MARKER = "<!-- readme-test: run -->"
_RUN_BLOCK = re.compile(r"^" + re.escape(RUN_MARKER) + r"\n```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)


def text() -> str:
    return README.read_text(encoding="utf-8")


def marked_block(name: str) -> str:
    """The fenced block right after ``<!-- readme-test: NAME -->``."""
    readme = text()
    marker = f"<!-- readme-test: {name} -->\n"
    start = readme.index(marker) + len(marker)
    found = _FENCE.match(readme, start)
    assert found, f"no fenced block right after the marker {marker.strip()}"
    return found.group(2)


@dataclass(frozen=True)
class ConsoleCommand:
    """One ``$ command`` of a console block (with its here-document, if any) and the lines shown after it."""

    line: int  # where it is in README.md, for messages
    command: str
    shown: list[str]


def console_commands() -> list[ConsoleCommand]:
    """Every command of the README's console blocks, top to bottom."""
    readme = text()
    commands: list[tuple[int, ConsoleCommand]] = []
    for run in _RUN_BLOCK.finditer(readme):
        first_line = readme[: run.start(1)].count("\n") + 1
        script = run.group(1).replace("\\\n", " ")  # continuation lines
        for offset, line in enumerate(script.splitlines()):
            if line.strip() and not line.lstrip().startswith("#"):
                commands.append((run.start(), ConsoleCommand(first_line + offset, line, [])))
    for block in _CONSOLE.finditer(readme):
        before = readme[: block.start()].rstrip("\n").rsplit("\n", 1)[-1]
        if before.strip().startswith(SKIP_MARKER):
            continue
        first_line = readme[: block.start(2)].count("\n") + 1
        indent = len(block.group(1))
        lines = [line[indent:] for line in block.group(2).splitlines()]
        commands += [(block.start(), command) for command in _commands(lines, first_line)]
    return [command for _, command in sorted(commands, key=lambda item: (item[0], item[1].line))]


def _commands(lines: list[str], first_line: int) -> list[ConsoleCommand]:
    found: list[ConsoleCommand] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("$ "):
            i += 1
            continue
        start, command = i, lines[i][2:]
        i += 1
        heredoc = _HEREDOC.search(command)
        if heredoc:  # the document's lines belong to the command, up to the terminator
            while i < len(lines):
                command += "\n" + lines[i]
                i += 1
                if lines[i - 1].strip() == heredoc.group(1):
                    break
        shown = []
        while i < len(lines) and not lines[i].startswith("$ "):
            shown.append(lines[i])
            i += 1
        found.append(ConsoleCommand(first_line + start, command, shown))
    return found
