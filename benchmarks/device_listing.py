"""`c8ydm device list -o jsonl` against curl fetching the same pages from the same sandbox.

    python benchmarks/device_listing.py [--devices 20000] [--rounds 5] [--sdk]

Starts a sandbox of DEVICES devices (seeded before measuring), then, round by round and interleaved:
- curl: one process fetching every page of the device query c8ydm sends (pageSize=2000, the same
  query and parameters, keep-alive), bodies to a file;
- c8ydm: `device list -o jsonl` to a file (one line per device, checked);
- with --sdk, the official SDK `c8y_api` reading the same query page by page, one JSON line each.
Prints the median seconds, the ratio to curl and each one's peak RSS. Goals (issue 13): at most
1.2x curl at 20,000 and 100,000 devices, peak RSS at most 100 MB.
"""

from __future__ import annotations

import argparse
import math
import sys
from urllib.parse import urlencode

from _bench import Series, c8ydm_command, machine, run, sandbox, table, tenant_env

QUERY = "$filter=(has(c8y_IsDevice)) $orderby=name asc"  # what `c8ydm device list` sends (§1.6)
PAGE_SIZE = 2000
RATIO_GOAL, RSS_GOAL_MB = 1.2, 100.0
SDK_SCRIPT = """
import json, sys
from c8y_api import CumulocityApi
url, tenant, user, password, query = sys.argv[1:6]
c8y = CumulocityApi(base_url=url, tenant_id=tenant, username=user, password=password)
out = sys.stdout
for mo in c8y.inventory.select(query=query, page_size=2000):
    out.write(json.dumps(mo.to_json()) + "\\n")
"""


def curl_argv(state: dict[str, str], devices: int) -> list[str]:
    pages = max(1, math.ceil(devices / PAGE_SIZE))
    urls = []
    for page in range(1, pages + 1):
        params = {"query": QUERY, "pageSize": PAGE_SIZE, "currentPage": page}
        if page == 1:
            params["withTotalPages"] = "true"
        urls.append(f"{state['url']}/inventory/managedObjects?{urlencode(params)}")
    auth = f"{state['tenant']}/{state['user']}:{state['password']}"
    return ["curl", "-sf", "-u", auth, "-H", "Accept: application/json", *urls]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sdk", action="store_true", help="also measure the official SDK c8y_api")
    args = parser.parse_args()
    with sandbox(args.devices) as (state, scratch):
        env = tenant_env(state, scratch)
        out = scratch / "out.jsonl"
        series = [Series("curl (same pages)"), Series("c8ydm device list -o jsonl")]
        commands = [curl_argv(state, args.devices), [*c8ydm_command(), "device", "list", "-o", "jsonl"]]
        if args.sdk:
            series.append(Series("c8y_api (official SDK)"))
            creds = [state["url"], state["tenant"], state["user"], state["password"], QUERY]
            commands.append([sys.executable, "-c", SDK_SCRIPT, *creds])
        for _ in range(args.rounds):
            for each, argv in zip(series, commands, strict=True):
                with open(out, "wb") as sink:
                    each.runs.append(run(argv, env=env, stdout=sink))
                if each.runs[-1].code != 0:
                    raise SystemExit(f"{each.name} failed: {each.runs[-1].stderr}")
        lines = None
        if args.sdk:
            with open(out, "rb") as printed:
                lines = sum(1 for _ in printed)
        with open(out, "wb") as sink:
            check = run([*c8ydm_command(), "device", "list", "-o", "jsonl"], env=env, stdout=sink)
        with open(out, "rb") as printed:
            counted = sum(1 for _ in printed)
    curl = series[0].median
    rows = [["command", "median s", "min-max s", "ratio", "peak RSS MB"]]
    for each in series:
        ratio = f"{each.median / curl:.2f}x"
        rows.append([each.name, f"{each.median:.2f}", each.spread, ratio, f"{each.peak_mb:.0f}"])
    print(f"{args.devices} devices, {args.rounds} rounds; {machine()}")
    print(table(rows))
    is_met = series[1].median / curl <= RATIO_GOAL and series[1].peak_mb <= RSS_GOAL_MB
    sdk = f"; the SDK printed {lines} lines" if lines is not None else ""
    print(f"c8ydm printed {counted} lines (exit {check.code}){sdk}")
    print(f"goal: <= {RATIO_GOAL}x curl, <= {RSS_GOAL_MB:.0f} MB: {'met' if is_met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
