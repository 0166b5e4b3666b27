"""Regenerate the shell completion scripts and the completion index from the registered commands.

    python scripts/gen_completions.py            # writes completions/ and c8ydm/cli/_completion_index.json
    python scripts/gen_completions.py --out DIR  # the same files under DIR (the staleness test uses this)

It imports every module of ``c8ydm.cli.app.COMMANDS`` and walks the click tree: groups, commands,
options (names, whether they take a value, choices) and arguments. Parameters made with
``options.complete_names(kind)`` are recorded as ``"dynamic": kind``; ``c8ydm/cli/completion.py``
fills them from the local name cache at completion time. Run it after adding or changing a command.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from c8ydm.cli import options
from c8ydm.cli.app import build_root
from c8ydm.cli.completion import DYNAMIC_MARKER

PROG = "c8ydm"
COMPLETE_VAR = "_C8YDM_COMPLETE"
REPO = Path(__file__).resolve().parent.parent
INDEX_PATH = Path("c8ydm") / "cli" / "_completion_index.json"

# The scripts are Typer's own (typer/_completion_shared.py, Typer 0.29), so the protocol is Typer's:
# the shell calls c8ydm back with _C8YDM_COMPLETE=complete_<shell> and the words typed so far.
SCRIPTS = {
    "bash": """_c8ydm_completion() {
    local IFS=$'\\n'
    COMPREPLY=( $( env COMP_WORDS="${COMP_WORDS[*]}" \\
                   COMP_CWORD=$COMP_CWORD \\
                   _C8YDM_COMPLETE=complete_bash $1 ) )
    return 0
}

complete -o default -F _c8ydm_completion c8ydm
""",
    "zsh": """#compdef c8ydm

_c8ydm_completion() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _C8YDM_COMPLETE=complete_zsh c8ydm)
}

compdef _c8ydm_completion c8ydm
""",
    "fish": 'complete --command c8ydm --no-files --arguments "(env _C8YDM_COMPLETE=complete_fish '
    '_TYPER_COMPLETE_FISH_ACTION=get-args _TYPER_COMPLETE_ARGS=(commandline -cp) c8ydm)" --condition '
    '"env _C8YDM_COMPLETE=complete_fish _TYPER_COMPLETE_FISH_ACTION=is-args '
    '_TYPER_COMPLETE_ARGS=(commandline -cp) c8ydm"\n',
    "ps1": """Import-Module PSReadLine
Set-PSReadLineKeyHandler -Chord Tab -Function MenuComplete
$scriptblock = {
    param($wordToComplete, $commandAst, $cursorPosition)
    $Env:_C8YDM_COMPLETE = "complete_powershell"
    $Env:_TYPER_COMPLETE_ARGS = $commandAst.ToString()
    $Env:_TYPER_COMPLETE_WORD_TO_COMPLETE = $wordToComplete
    c8ydm | ForEach-Object {
        $commandArray = $_ -Split ":::"
        $command = $commandArray[0]
        $helpString = $commandArray[1]
        [System.Management.Automation.CompletionResult]::new(
            $command, $command, 'ParameterValue', $helpString)
    }
    $Env:_C8YDM_COMPLETE = ""
    $Env:_TYPER_COMPLETE_ARGS = ""
    $Env:_TYPER_COMPLETE_WORD_TO_COMPLETE = ""
}
Register-ArgumentCompleter -Native -CommandName c8ydm -ScriptBlock $scriptblock
""",
}


def _first_line(text: str | None) -> str:
    return (text or "").strip().split("\n", 1)[0].strip()


def _values(param: Any, ctx: Any) -> dict[str, Any]:
    """Choices, or the kind of a dynamic completer, read through the public shell_complete()."""
    found = [item.value for item in param.shell_complete(ctx, "") if item.value]
    dynamic = [value[len(DYNAMIC_MARKER) :] for value in found if value.startswith(DYNAMIC_MARKER)]
    choices = [value for value in found if not value.startswith(DYNAMIC_MARKER)]
    return {**({"choices": choices} if choices else {}), **({"dynamic": dynamic[0]} if dynamic else {})}


def node(command: Any, name: str, parent: Any = None) -> dict[str, Any]:
    """The index entry of one command or group, recursively."""
    ctx = command.context_class(command, info_name=name, parent=parent)
    entry: dict[str, Any] = {"help": command.get_short_help_str(limit=80)}
    opts, args = [], []
    for param in command.get_params(ctx):
        if param.hidden or "--help" in getattr(param, "opts", []):
            continue
        if param.param_type_name == "option":
            takes_value = not (param.is_flag or param.count)
            opts.append(
                {
                    "names": [*param.opts, *param.secondary_opts],
                    "help": _first_line(param.help),
                    "value": takes_value,
                    **(_values(param, ctx) if takes_value else {}),
                }
            )
        else:
            args.append(
                {
                    "name": param.metavar or (param.name or "").upper(),
                    "nargs": param.nargs,
                    **_values(param, ctx),
                }
            )
    if opts:
        entry["options"] = opts
    if args:
        entry["arguments"] = args
    if hasattr(command, "list_commands"):
        subcommands = {sub: command.get_command(ctx, sub) for sub in command.list_commands(ctx)}
        entry["commands"] = {
            sub: node(cmd, sub, ctx) for sub, cmd in subcommands.items() if cmd is not None and not cmd.hidden
        }
    return entry


def build_index() -> dict[str, Any]:
    options.INDEXING["active"] = True
    try:
        return {"version": 1, "root": node(build_root(), PROG)}
    finally:
        options.INDEXING["active"] = False


def write_all(out: Path) -> list[Path]:
    """Write the index and the four scripts under ``out``; returns the paths written."""
    files = {INDEX_PATH: json.dumps(build_index(), indent=1, ensure_ascii=False) + "\n"}
    files.update({Path("completions") / f"{PROG}.{shell}": text for shell, text in SCRIPTS.items()})
    written = []
    for relative, text in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--out", type=Path, default=REPO, help="directory to write into (default: the repo)")
    for path in write_all(parser.parse_args().out):
        print(path)


if __name__ == "__main__":
    main()
