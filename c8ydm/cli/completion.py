"""Shell completion without Typer or click: answers from the generated index and local caches.

``main()`` calls :func:`run` before importing anything else when ``_C8YDM_COMPLETE`` is set. The
protocol is Typer's (``complete_bash|complete_zsh|complete_fish|complete_powershell`` with
``COMP_WORDS``/``COMP_CWORD`` or ``_TYPER_COMPLETE_ARGS``), so ``completions/`` are Typer's own
scripts. The command tree comes from ``_completion_index.json`` (written by
``scripts/gen_completions.py``); names of repository entries and devices come from a short-lived
cache that listing commands fill with :func:`write_name_cache`, one cache per session (or per
``C8Y_HOST`` connection), so that names of one tenant are never offered for another. Nothing here
touches the network.

This module imports only the standard library: it runs on every key press.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path  # already imported by the interpreter's start-up (site)

# Not `from typing import TYPE_CHECKING`: importing typing alone costs a completion ~20% more time.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    Node = dict[str, Any]
    Item = tuple[str, str]

CACHE_TTL_SECONDS = 300
INDEX_PATH = Path(__file__).with_name("_completion_index.json")
# While the generator walks the command tree, name completers answer with this marker and their kind.
DYNAMIC_MARKER = "\0dynamic:"
SESSION_KIND = "session"
# NAME@VERSION completers (--firmware, --software): the cached NAME@VERSION pairs of a repository
# (written by the commands that read versions) and its bare names (NAME alone means the newest).
PACKAGE_SUFFIX = "@version"
VERSIONS_SUFFIX = "-version"  # "firmware-version" holds "NAME@VERSION" items
_HOST_VARIABLES = ("C8Y_HOST", "C8Y_URL", "C8Y_BASEURL")


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """``$C8YDM_CACHE_DIR``, else ``$XDG_CACHE_HOME/c8ydm``, else ``~/.cache/c8ydm``."""
    if environ.get("C8YDM_CACHE_DIR"):
        return Path(environ["C8YDM_CACHE_DIR"])
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "c8ydm"


def cache_scope(session: str | None = None, environ: Mapping[str, str] = os.environ) -> str:
    """Whose names these are, as settings.resolve_connection picks the tenant: the ``C8Y_HOST``
    connection first, else the session (``--session``, ``C8YDM_SESSION``, the current one)."""
    host = next((environ[name] for name in _HOST_VARIABLES if environ.get(name)), None)
    if host:
        return "url:" + host.strip().rstrip("/").lower()
    name = session or environ.get("C8YDM_SESSION")
    if not name:
        from c8ydm.sessionfile import current_session_name  # stdlib only

        try:
            name = current_session_name()
        except (OSError, ValueError):
            name = None
    return "session:" + (name or "")


def _file_name(scope: str) -> str:
    # One file per scope; anything but letters, digits, "-" and "." is %-escaped (no collisions).
    return "".join(c if c.isascii() and (c.isalnum() or c in "-.") else f"%{ord(c):02x}" for c in scope)


def cache_path(kind: str, environ: Mapping[str, str] = os.environ, scope: str | None = None) -> Path:
    """The cached names of one kind in one scope (see :func:`cache_scope`):
    ``<cache dir>/names/<scope>/<kind>.json``. A file per kind: a complete listing replaces its
    kind's file without reading anything, and completing a firmware name never reads the names
    of 100,000 devices."""
    scope_dir = _file_name(scope or cache_scope(None, environ))
    return cache_dir(environ) / "names" / scope_dir / (_file_name(kind) + ".json")


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_name_cache(
    kind: str, names: Iterable[str], *, scope: str | None = None, is_complete: bool = False
) -> None:
    """Remember ``names`` of ``kind`` ("firmware", "device", ...) for completion; never fails a command.

    Each name carries the time it was last seen. A list that may be partial (a ``--name`` filter,
    a ``--limit``) only adds and refreshes names; only a complete list (``is_complete``) replaces
    the kind's names, so a filtered list never shrinks the cache. ``scope`` None: the current one.

    A kind is stored as ``{"<second last seen>": [names]}``, a group per listing: a listing of
    100,000 devices writes one list and one time, not a time per name (issue 13: a per-name float
    cost a 20,000-device ``device list`` 17 ms). Groups older than the TTL are dropped on write.
    """
    path = cache_path(kind, scope=scope or cache_scope())
    now = time.time()
    stamp = str(int(now))
    if is_complete:  # stored as listed: the reader skips repeats and empty names (a 20,000-name
        kept = {stamp: list(names)}  # listing writes its list without a pass over it, issue 13)
    else:
        fresh = list(dict.fromkeys(names))
        groups = _groups(_load_json(path))
        if groups and fresh:
            refreshed = set(fresh)  # a name lives in the group of its newest sighting only
            groups = {seen: [n for n in group if n not in refreshed] for seen, group in groups.items()}
        oldest = now - CACHE_TTL_SECONDS
        kept = {seen: group for seen, group in groups.items() if group and float(seen) >= oldest}
        kept[stamp] = [*kept.get(stamp, []), *fresh]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a cache is a convenience: a read-only home must not break the command


def _groups(entry: Any) -> dict[str, list[str]]:
    """A kind's names by the second they were last seen (``{"<second>": [names]}``)."""
    if not isinstance(entry, dict):
        return {}
    groups: dict[str, list[str]] = {}
    for key, value in entry.items():
        if not isinstance(value, list):
            continue
        try:
            float(key)
        except ValueError:
            continue
        groups[key] = [str(name) for name in value]
    return groups


def read_name_cache(kind: str, *, scope: str | None = None, now: float | None = None) -> list[str]:
    """The names of ``kind`` seen less than CACHE_TTL_SECONDS ago, sorted."""
    if kind == SESSION_KIND:
        from c8ydm.sessionfile import session_names  # stdlib only

        return session_names()
    if kind.endswith(PACKAGE_SUFFIX):  # "firmware@version": NAME@VERSION pairs and bare names
        repository = kind[: -len(PACKAGE_SUFFIX)]
        pairs = read_name_cache(repository + VERSIONS_SUFFIX, scope=scope, now=now)
        return sorted({*pairs, *read_name_cache(repository, scope=scope, now=now)})
    groups = _groups(_load_json(cache_path(kind, scope=scope or cache_scope())))
    oldest = (now or time.time()) - CACHE_TTL_SECONDS
    return sorted({name for seen, group in groups.items() if float(seen) >= oldest for name in group if name})


def _values(spec: Node, incomplete: str, scope: str | None, args: list[str]) -> list[Item]:
    values = list(spec.get("choices", []))
    if spec.get("dynamic"):  # the scope is worked out only here: it reads the sessions file
        values += read_name_cache(spec["dynamic"], scope=scope or cache_scope(_typed_session(args)))
    return [(v, "") for v in values if v.startswith(incomplete)]


def _typed_session(args: list[str]) -> str | None:
    """The ``--session NAME`` typed on the line being completed, if any."""
    for i, word in enumerate(args):
        if word == "--session" and i + 1 < len(args):
            return args[i + 1]
        if word.startswith("--session="):
            return word.split("=", 1)[1]
    return None


def candidates(root: Node, args: list[str], incomplete: str, *, scope: str | None = None) -> list[Item]:
    """Completions (value, help) for ``incomplete`` after the words ``args`` (program name excluded).

    Names come from the cache of ``scope``; None: the session typed on the line, else the current one.
    """
    node, positional, pending = root, 0, None
    for word in args:
        if pending is not None:
            pending = None
        elif word.startswith("-") and len(word) > 1:
            name = word.split("=", 1)[0]
            option = next((o for o in node.get("options", []) if name in o["names"]), None)
            if option and option.get("value") and "=" not in word:
                pending = option
        elif word in node.get("commands", {}):
            node, positional = node["commands"][word], 0
        else:
            positional += 1
    if pending is not None:
        return _values(pending, incomplete, scope, args)
    if incomplete.startswith("-"):
        options = [*node.get("options", []), {"names": ["--help"], "help": "Show this message and exit."}]
        return [(n, o.get("help", "")) for o in options for n in o["names"] if n.startswith(incomplete)]
    if node.get("commands"):
        return [(n, c.get("help", "")) for n, c in node["commands"].items() if n.startswith(incomplete)]
    arguments = node.get("arguments", [])
    if not arguments:
        return []
    spec = arguments[min(positional, len(arguments) - 1)]
    if positional >= len(arguments) and spec.get("nargs", 1) != -1:
        return []
    return _values(spec, incomplete, scope, args)


def split_words(line: str) -> list[str]:
    """Split a command line like click does, keeping an unterminated quote's partial word."""
    import shlex  # here: only completion splits a command line (start-up, issue 13)

    lex = shlex.shlex(line, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    words: list[str] = []
    try:
        words.extend(lex)
    except ValueError:
        words.append(lex.token)
    return words


def _args_for(shell: str, environ: Mapping[str, str]) -> tuple[list[str], str]:
    if shell == "bash":
        words = split_words(environ.get("COMP_WORDS", ""))
        cword = int(environ.get("COMP_CWORD", "0") or 0)
        return words[1:cword], words[cword] if cword < len(words) else ""
    line = environ.get("_TYPER_COMPLETE_ARGS", "")
    words = split_words(line)[1:]
    if shell == "powershell":
        incomplete = environ.get("_TYPER_COMPLETE_WORD_TO_COMPLETE", "")
        return (words[:-1] if incomplete else words), incomplete
    if words and not line.endswith(" "):
        return words[:-1], words[-1]
    return words, ""


def _zsh_escape(text: str) -> str:
    for old, new in (('"', '""'), ("'", "''"), ("$", "\\$"), ("`", "\\`"), (":", r"\\:")):
        text = text.replace(old, new)
    return text


def format_answer(shell: str, items: list[Item]) -> str:
    """The answer in the format each of Typer's completion scripts reads."""
    if shell == "zsh":
        if not items:
            return "_files"
        rows = [f'"{_zsh_escape(v)}":"{_zsh_escape(h)}"' if h else f'"{_zsh_escape(v)}"' for v, h in items]
        return "_arguments '*: :((" + "\n".join(rows) + "))'"
    if shell == "fish":
        return "\n".join(f"{v}\t{' '.join(h.split())}" if h else v for v, h in items)
    if shell == "powershell":
        return "\n".join(f"{v}:::{h or ' '}" for v, h in items)
    return "\n".join(v for v, _ in items)


def run(instruction: str, environ: Mapping[str, str] = os.environ) -> int:
    """Answer one completion request on stdout; returns the process exit code."""
    shell = instruction.removeprefix("complete_").replace("pwsh", "powershell")
    if shell not in ("bash", "zsh", "fish", "powershell"):
        sys.stderr.write(f"Error: unsupported completion instruction {instruction!r}\n")
        return 1
    index = _load_json(INDEX_PATH) or {}
    args, incomplete = _args_for(shell, environ)
    items = candidates(index.get("root", {}), args, incomplete)
    if shell == "fish" and environ.get("_TYPER_COMPLETE_FISH_ACTION") == "is-args":
        return 0 if items else 1
    answer = format_answer(shell, items)
    if answer:
        sys.stdout.write(answer + "\n")
    return 0
