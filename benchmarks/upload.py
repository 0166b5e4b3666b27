"""`c8ydm firmware add --file` of a large file against curl uploading it to the same sandbox.

    python benchmarks/upload.py [--mib 1024] [--rounds 3]

Round by round, interleaved: curl posting the file as the multipart binary upload (`object` and
`file` parts, POST /inventory/binaries, contract §1.11), then `c8ydm firmware add NAME --version V
--file FILE` (the whole 4-step add: global flag, entry, upload, version, link). Prints median
seconds, throughput, the ratio of c8ydm's throughput to curl's and each one's peak RSS. Goals
(issue 13): at least 0.9x curl's throughput, peak RSS at most 80 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import httpx
from _bench import Series, c8ydm_command, machine, run, sandbox, table, tenant_env

RATIO_GOAL, RSS_GOAL_MB = 0.9, 80.0
BLOCK = 1024 * 1024


def make_file(path: Path, mib: int) -> None:
    block = os.urandom(BLOCK)  # one random MiB repeated: nothing on the way compresses
    with open(path, "wb") as out:
        for _ in range(mib):
            out.write(block)


def delete_binaries(state: dict[str, str]) -> None:
    """Free the sandbox's disk between rounds."""
    auth = (f"{state['tenant']}/{state['user']}", state["password"])
    with httpx.Client(base_url=state["url"], auth=auth, headers={"Accept": "application/json"}) as api:
        found = api.get("/inventory/binaries", params={"pageSize": 2000}).json()["managedObjects"]
        for binary in found:
            api.delete(f"/inventory/binaries/{binary['id']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with sandbox(0) as (state, scratch):
        env = tenant_env(state, scratch)
        path = scratch / "firmware.bin"
        make_file(path, args.mib)
        auth = f"{state['tenant']}/{state['user']}:{state['password']}"
        curl, c8ydm = Series("curl (multipart upload)"), Series("c8ydm firmware add --file")
        for n in range(args.rounds):
            meta = json.dumps({"name": path.name, "type": "application/octet-stream"})
            upload = [
                "curl", "-sf", "-o", os.devnull, "-u", auth, "-H", "Accept: application/json",
                "-F", f"object={meta};type=application/json",
                "-F", f"file=@{path};type=application/octet-stream",
                f"{state['url']}/inventory/binaries",
            ]  # fmt: skip
            add = [
                *c8ydm_command(), "firmware", "add", f"bench-{n}", "--version", "1.0.0", "--file", str(path),
                "--description", "benchmark", "-o", "json",
            ]  # fmt: skip
            for each, argv in ((curl, upload), (c8ydm, add)):
                each.runs.append(run(argv, env=env))
                if each.runs[-1].code != 0:
                    raise SystemExit(f"{each.name} failed: {each.runs[-1].stderr}")
                delete_binaries(state)
    size_mb = args.mib * BLOCK / 1e6
    rows = [["command", "median s", "min-max s", "MB/s", "x curl", "peak RSS MB"]]
    for each in (curl, c8ydm):
        ratio = curl.median / each.median
        rows.append(
            [each.name, f"{each.median:.2f}", each.spread, f"{size_mb / each.median:.0f}", f"{ratio:.2f}x",
             f"{each.peak_mb:.0f}"]
        )  # fmt: skip
    ratio = curl.median / c8ydm.median
    is_met = ratio >= RATIO_GOAL and c8ydm.peak_mb <= RSS_GOAL_MB
    print(f"{args.mib} MiB, {args.rounds} rounds; {machine()}")
    print(table(rows))
    print(
        f"goal: >= {RATIO_GOAL}x curl's throughput, <= {RSS_GOAL_MB:.0f} MB: {'met' if is_met else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
