"""Everyday commands on a small local sandbox, against a bare interpreter and curl in the same run.

    python benchmarks/everyday.py [--runs 15]

Rounds of, interleaved: `python -c pass`, one curl request (the firmware list's), `c8ydm firmware
list` (one request on an empty repository), `c8ydm device list --type c8y_Linux` (one request) and
`c8ydm device show linux-0001` (the device and its last operations: several requests). Prints
medians, the ratio to the bare interpreter and the goal of issue 13: at most 0.25 s for a command
that sends one request to a local tenant.
"""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlencode

from _bench import Series, c8ydm_command, machine, run, sandbox, table, tenant_env

GOAL_SECONDS = 0.25
FIRMWARE_QUERY = "$filter=(type eq 'c8y_Firmware') $orderby=name asc"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with sandbox(10) as (state, scratch):
        env = tenant_env(state, scratch)
        params = urlencode(
            {"query": FIRMWARE_QUERY, "pageSize": 2000, "currentPage": 1, "withTotalPages": "true"}
        )
        auth = f"{state['tenant']}/{state['user']}:{state['password']}"
        c8ydm = c8ydm_command()
        commands = {
            "python -c pass": ([sys.executable, "-c", "pass"], None),
            "curl (one request)": (
                ["curl", "-sf", "-u", auth, f"{state['url']}/inventory/managedObjects?{params}"],
                None,
            ),
            "c8ydm firmware list": ([*c8ydm, "firmware", "list", "-o", "json"], 1),
            "c8ydm device list --type c8y_Linux": (
                [*c8ydm, "device", "list", "--type", "c8y_Linux", "-o", "json"],
                1,
            ),
            "c8ydm device show linux-0001": ([*c8ydm, "device", "show", "linux-0001", "-o", "json"], None),
        }
        series = {name: Series(name) for name in commands}
        for argv, _ in commands.values():
            run(argv, env=env)  # warm the file cache
        for _ in range(args.runs):
            for name, (argv, _) in commands.items():
                series[name].runs.append(run(argv, env=env))
                if series[name].runs[-1].code != 0:
                    raise SystemExit(f"{name} failed: {series[name].runs[-1].stderr}")
    bare = series["python -c pass"].median
    rows = [["command", "median s", "min-max s", "x python -c pass", "goal"]]
    is_met = True
    for name, (_, requests) in commands.items():
        each = series[name]
        goal = f"<= {GOAL_SECONDS} s" if requests == 1 else ""
        if requests == 1:
            is_met = is_met and each.median <= GOAL_SECONDS
        rows.append([name, f"{each.median:.3f}", each.spread, f"{each.median / bare:.1f}x", goal])
    print(f"{args.runs} rounds; {machine()}")
    print(table(rows))
    print(f"goal (one-request commands <= {GOAL_SECONDS} s): {'met' if is_met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
