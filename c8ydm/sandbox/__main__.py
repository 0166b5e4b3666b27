"""`python -m c8ydm.sandbox serve --data-dir D --port P ...` runs the sandbox in the foreground.

Also `start`, `status`, `stop`, `reset` (the same as `c8ydm sandbox ...`, for environments without the
CLI's dependencies). Fault rules: `--fault "PATTERN:KIND[:RATE[:SECONDS]]"`, see core/faults.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from c8ydm.sandbox import control


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m c8ydm.sandbox", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("serve", "start", "status", "stop", "reset"):
        sub = commands.add_parser(name)
        sub.add_argument("--data-dir", default=None, help="default: $C8YDM_SANDBOX_DIR or ~/.local/share/...")
        if name not in ("serve", "start"):
            continue
        sub.add_argument("--host", default="127.0.0.1")
        sub.add_argument("--port", type=int, default=None, help="0: any free port; default 8111 if free")
        sub.add_argument("--devices", type=int, default=10)
        sub.add_argument("--seed", type=int, default=42)
        sub.add_argument("--op-delay", type=float, default=0.5, help="seconds per operation state change")
        sub.add_argument("--failure-rate", type=float, default=0.0)
        sub.add_argument("--silent-rate", type=float, default=0.0)
        sub.add_argument("--fault", action="append", default=[], help="PATTERN:KIND[:RATE[:SECONDS]]")
        sub.add_argument("--access-log", action="store_true", help="log every request (serve)")
    return parser


def _options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "devices": args.devices,
        "seed": args.seed,
        "op_delay_seconds": args.op_delay,
        "failure_rate": args.failure_rate,
        "silent_rate": args.silent_rate,
    }


def serve(args: argparse.Namespace) -> int:
    options = control.make_options(
        args.data_dir, port=args.port, host=args.host, faults=args.fault, **_options(args)
    )
    control.serve(options, access_log=args.access_log)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "start":
        state = control.start(
            args.data_dir, port=args.port, host=args.host, faults=args.fault, **_options(args)
        )
    elif args.command == "status":
        state = control.status(args.data_dir)
    elif args.command == "stop":
        state = {"stopped": control.stop(args.data_dir)}
    else:
        control.reset(args.data_dir)
        state = {"reset": True}
    json.dump(state, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
