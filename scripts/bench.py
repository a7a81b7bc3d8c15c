"""Benchmarks: each stage on generated data of given sizes, measured beside the floor it cannot beat.

Every measurement runs in a fresh process (so imports and caches count as a user would see
them) and is repeated; the table shows median, min and max. See BENCHMARKS.md.

    scripts/bench --quick                 # 10k positions, for CI
    scripts/bench --sizes 10000,100000    # the build table
    scripts/bench --sizes 1000000 --repeat 1 --load 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from weapon_use_positions.paths import DATABASE, DB_NAME

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CLI = [PYTHON, "-m", "weapon_use_positions"]

FLOOR = r"""
import sqlite3, sys, yaml
from pathlib import Path
data, db = Path(sys.argv[1]), sys.argv[2]
conn = sqlite3.connect(db)
conn.execute("create table positions (id, actor_id, recipient_id, role, weapons, stance, valid_from, date_precision, stated_by, stated_by_role, status, summary, quote, quote_language, quote_translation, note)")
conn.execute("create table sources (id, url, title, publisher, published, language, kind, archive_url)")
conn.execute("create table conditions (position_id, seq, kind, text)")
conn.execute("create table position_sources (position_id, source_id, seq, excerpt)")
conn.execute("create table actors (id, name, kind, wikidata)")
P = ["id", "actor_id", "recipient_id", "role", "weapons", "stance", "valid_from", "date_precision", "stated_by", "stated_by_role", "status", "summary", "quote", "quote_language", "quote_translation", "note"]
S = ["id", "url", "title", "publisher", "published", "language", "kind", "archive_url"]
for path in sorted(data.rglob("*.yaml")):
    doc = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    positions = doc.get("positions") or []
    with conn:
        conn.executemany("insert into positions values (%s)" % ",".join("?" * len(P)), [tuple(str(p.get(k)) if p.get(k) is not None else None for k in P) for p in positions])
        conn.executemany("insert into sources values (%s)" % ",".join("?" * len(S)), [tuple(str(s.get(k)) if s.get(k) is not None else None for k in S) for s in doc.get("sources") or []])
        conn.executemany("insert into conditions values (?,?,?,?)", [(p["id"], i, c["kind"], c["text"]) for p in positions for i, c in enumerate(p.get("conditions") or [], 1)])
        conn.executemany("insert into position_sources values (?,?,?,?)", [(p["id"], r["id"], i, r.get("excerpt")) for p in positions for i, r in enumerate(p["sources"], 1)])
        conn.executemany("insert into actors values (?,?,?,?)", [(a["id"], a["name"], a["kind"], a.get("wikidata")) for a in doc.get("actors") or []])
conn.close()
"""

AS_OF = r"""
import sys, time
import weapon_use_positions as wup
import weapon_use_positions.api  # the import (polars) is measured by the cold-start stage
db = sys.argv[1]
t1 = time.perf_counter()
first = wup.as_of("2024-06-15", db=db)
t2 = time.perf_counter()
later = []
for day in ["2023-03-01", "2024-01-15", "2024-06-15", "2025-02-01", "2025-09-30"] * 4:
    s = time.perf_counter(); wup.as_of(day, db=db); later.append(time.perf_counter() - s)
s = time.perf_counter(); wup.as_of("2024-06-15", weapon="atacms", db=db); weapon = time.perf_counter() - s
print(t2 - t1, sorted(later)[len(later) // 2], min(later), max(later), weapon, first.height)
"""


def run(argv, **kwargs) -> tuple[float, int]:
    """Wall time and peak resident memory (KiB) of a child process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode()
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, argv))} failed:\n{stderr}")
    return elapsed, usage.ru_maxrss


def summary(stage, size, times, work=None, floor=None, memory=None, unit="s", note=""):
    median = statistics.median(times)
    row = {
        "stage": stage,
        "size": size,
        "median": median,
        "min": min(times),
        "max": max(times),
        "runs": len(times),
        "unit": unit,
        "throughput": work / median if work and median else None,
        "floor": floor,
        "ratio_to_floor": median / floor if floor else None,
        "peak_memory_mib": memory / 1024 if memory else None,
        "note": note,
    }
    print_row(row)
    return row


def print_row(row):
    def fmt(value, spec):
        return format(value, spec) if value is not None else "-"

    print(
        f"{row['stage']:<26} {row['size']:>9} {fmt(row['median'], '10.4f')} {fmt(row['min'], '10.4f')} "
        f"{fmt(row['max'], '10.4f')} {row['unit']:<3} {fmt(row['throughput'], '12,.0f')} "
        f"{fmt(row['ratio_to_floor'], '7.2f')} {fmt(row['peak_memory_mib'], '9,.0f')}  {row['note']}",
        flush=True,
    )


def header():
    print(
        f"{'stage':<26} {'size':>9} {'median':>10} {'min':>10} {'max':>10} {'':<3} {'per second':>12} "
        f"{'x floor':>7} {'peak MiB':>9}"
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(dataset: Path):
    port = free_port()
    server = subprocess.Popen(
        CLI + ["serve", "--dataset", str(dataset), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import httpx

    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/-/versions.json", timeout=2)
            return server, base
        except httpx.TransportError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not start")


def stored_query_times(base: str, n: int = 30) -> list[float]:
    import datetime as dt

    import httpx

    times = []
    with httpx.Client(base_url=base, timeout=30) as client:
        client.get(f"/{DATABASE}/effective_stance.json?date=2024-06-15&weapon=&actor=")
        for i in range(n):
            # a different date each time, so that no answer comes from the response cache
            date = (dt.date(2023, 1, 1) + dt.timedelta(days=17 * i)).isoformat()
            start = time.perf_counter()
            response = client.get(f"/{DATABASE}/effective_stance.json?date={date}&weapon=&actor=&_shape=array")
            times.append(time.perf_counter() - start)
            response.raise_for_status()
    return times


async def load(base: str, seconds: float, clients: int, paths: list[str]) -> dict:
    """`clients` concurrent clients cycling through `paths` for `seconds`: latencies and errors."""
    import httpx

    latencies, errors = [], 0
    deadline = time.monotonic() + seconds

    async def client(number):
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            i = number
            while time.monotonic() < deadline:
                path = paths[i % len(paths)]
                i += 1
                start = time.perf_counter()
                try:
                    response = await http.get(path)
                    if response.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(client(n) for n in range(clients)))
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "requests_per_second": len(latencies) / seconds,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[int(len(latencies) * 0.99)],
        "max": latencies[-1],
    }


def bench_size(size: int, actors: int, repeat: int, work_dir: Path, load_seconds: float, results: list, validate=True):
    data = work_dir / f"data-{size}"
    if not data.exists():
        elapsed, memory = run(CLI + ["synth", "--positions", str(size), "--actors", str(actors), "--out", str(data)])
        results.append(summary("synth", size, [elapsed], size, memory=memory))
    floors, floor_memory = [], 0
    builds, build_memory = [], 0
    validates = []
    out = work_dir / f"build-{size}" / "dataset"
    for _ in range(repeat):
        db = work_dir / "floor.db"
        db.unlink(missing_ok=True)
        elapsed, memory = run([PYTHON, "-c", FLOOR, str(data), str(db)])
        floors.append(elapsed)
        floor_memory = max(floor_memory, memory)
        elapsed, memory = run(CLI + ["build", "--data", str(data), "--out", str(out)])
        builds.append(elapsed)
        build_memory = max(build_memory, memory)
    floor = statistics.median(floors)
    results.append(summary("floor: C parse + inserts", size, floors, size, memory=floor_memory))
    results.append(summary("build", size, builds, size, floor=floor, memory=build_memory))
    if validate:
        for _ in range(repeat):
            validates.append(run(CLI + ["validate", "--data", str(data)])[0])
        results.append(summary("validate", size, validates, size, floor=floor))

    firsts, laters, weapons = [], [], []
    for _ in range(max(3, repeat)):
        output = subprocess.run(
            [PYTHON, "-c", AS_OF, str(out / DB_NAME)], capture_output=True, text=True, check=True
        ).stdout.split()
        firsts.append(float(output[0]))
        laters.append(float(output[1]))
        weapons.append(float(output[4]))
    results.append(summary("as_of first call", size, firsts, unit="s", note="target < 0.200"))
    results.append(summary("as_of later calls", size, laters, unit="s", note="target < 0.020"))
    results.append(summary("as_of with weapon", size, weapons, unit="s"))

    server, base = start_server(out)
    try:
        times = stored_query_times(base)
        results.append(summary("datasette as-of query", size, times, unit="s", note="target < 0.100"))
        if load_seconds:
            position = json.loads(
                subprocess.run(
                    [
                        PYTHON,
                        "-c",
                        "import sqlite3,sys,json; print(json.dumps(sqlite3.connect(sys.argv[1]).execute('select id from positions limit 1 offset 1000').fetchone()[0]))",
                        str(out / DB_NAME),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            paths = [
                f"/{DATABASE}/positions",
                f"/position/{position}",
                f"/{DATABASE}/effective_stance.json?date=2024-06-15&weapon=&actor=",
            ]
            import httpx

            for path in paths:  # each page once, before anything is cached
                start = time.perf_counter()
                httpx.get(base + path, timeout=120).raise_for_status()
                results.append(
                    summary(f"first request {path.split('?')[0][-24:]}", size, [time.perf_counter() - start])
                )
            figures = asyncio.run(load(base, load_seconds, 16, paths))
            row = summary(
                "load: 16 clients, cached",
                size,
                [figures["p50"], figures["p99"], figures["max"]],
                unit="s",
                note=f"{figures['requests']} requests, {figures['requests_per_second']:.0f}/s, "
                f"p99 {figures['p99'] * 1000:.0f} ms, {figures['errors']} errors (target p99 < 300 ms)",
            )
            row.update(figures)
            results.append(row)
    finally:
        server.terminate()
        server.wait(timeout=30)


def bench_fixed(repeat: int, results: list):
    """Stages on the real data and the installed package."""
    times = [run(CLI + ["validate"])[0] for _ in range(max(5, repeat))]
    results.append(summary("validate real data/", "real", times, note="target < 1 s"))
    polars = [run([PYTHON, "-c", "import polars"])[0] for _ in range(max(7, repeat))]
    ours = [run([PYTHON, "-c", "import weapon_use_positions as w; w.positions()"])[0] for _ in range(max(7, repeat))]
    results.append(summary("cold: import polars", "-", polars))
    results.append(
        summary("cold: import + positions()", "-", ours, floor=statistics.median(polars), note="target x1.3")
    )


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def soak(seconds: float, clients: int, dataset: Path | None):
    """`clients` concurrent clients on a mix of pages and JSON for `seconds`; memory before and after."""
    subprocess.run(CLI + ["build"], check=True, capture_output=True)
    server, base = start_server(dataset or ROOT / "build" / "dataset")
    import httpx

    ids = [r["id"] for r in httpx.get(base + f"/{DATABASE}/positions.json?_shape=array&_size=50&_col=id").json()]
    paths = [
        "/",
        "/timeline",
        "/matrix",
        "/search?q=Kharkiv",
        f"/{DATABASE}/positions",
        f"/{DATABASE}/sources?_facet=kind",
        f"/{DATABASE}/position_feed.atom",
        f"/{DATABASE}/effective_stance.json?date=2024-06-15&weapon=&actor=",
        *[f"/position/{i}" for i in ids],
        *[f"/{DATABASE}/positions/{i}.json" for i in ids],
    ]
    try:
        asyncio.run(load(base, 5, clients, paths))  # warm up: fill caches before measuring memory
        before = rss_mib(server.pid)
        figures = asyncio.run(load(base, seconds, clients, paths))
        after = rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures.update(clients=clients, seconds=seconds, rss_before_mib=before, rss_after_mib=after)
    print(json.dumps(figures, indent=2))
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k positions, 2 repetitions, a 5 s load test")
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of positions")
    parser.add_argument("--actors", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--load", type=float, default=0, help="seconds of 16-client load on each size (0: none)")
    parser.add_argument(
        "--json", type=Path, default=ROOT / "test-output" / "bench.json", help="where to write the results"
    )
    parser.add_argument("--work", type=Path, help="folder for generated data and builds (kept; default: temporary)")
    parser.add_argument("--no-validate", action="store_true", help="skip timing validate on the generated data")
    parser.add_argument("--soak", type=float, default=0, help="only a soak test of this many seconds on the real data")
    parser.add_argument("--clients", type=int, default=50, help="clients for --soak")
    args = parser.parse_args()
    if args.soak:
        soak(args.soak, args.clients, None)
        return
    sizes = [10_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    repeat = 2 if args.quick else args.repeat
    load_seconds = 5 if args.quick and not args.load else args.load
    work = args.work or Path(tempfile.mkdtemp(prefix="wup-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: list = []
    machine = {
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    print(f"machine: {machine}")
    header()
    subprocess.run(CLI + ["build"], check=True, capture_output=True)
    bench_fixed(repeat, results)
    for size in sizes:
        bench_size(size, args.actors, repeat, work, load_seconds, results, validate=not args.no_validate)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")
    print(f"wrote {args.json}")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
