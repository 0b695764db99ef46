"""Batch speed on this machine: the catalog with --jobs 1 and 2, the activation-search screen,
and cold start-up. Runs the installed `actverify` command in subprocesses, as users do.

Usage: python benchmarks/scale.py [--only catalog|search|startup|reproducible]
                                  [--candidates N] [--repeat N]
                                  [--jobs 1,2] [--against PYTHON]

`--against PYTHON` runs every benchmark a second time with another interpreter (a virtualenv
where an older commit is installed), row under row, so before and after are measured in one
run on one machine.

Targets (issue 17), on 2 cores:
- catalog: every property the baseline has (all but issue 19's float_accurate and
  gradient_accurate) with the cross-check (the default rule set), wall seconds,
  per-activation median and slowest (the worker wall time each result records), decided
  fraction, and the ten slowest (activation, property) pairs (analysis plus cross-check).
  3x faster than before with --jobs 2, and every pair at most 3 s. A last row, "this, all",
  adds the accuracy properties (their cost on its own).
- search: the first N candidates (default 500, spread over the space) of `actverify
  search-space` checked with --rules search --jobs 2: candidates per second and the peak
  resident memory of the largest process (parent or worker). Target: 100 candidates/s,
  200 MiB. Run --repeat times (3) per interpreter, alternating; the medians are compared.
- startup: `actverify --version` and `actverify check --expr x --no-crosscheck` (the
  baseline's properties) cold, five runs each. Targets: 0.3 s and 0.6 s. A last row checks x
  with every property (the accuracy scans: work, not start-up).
- reproducible: the whole catalog twice, at --jobs 1 beside a CPU hog on the other core and at
  --jobs 2 idle; their verdicts and facts must be identical (printed: the pairs that differ).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from verifier import search_space
from verifier.properties.registry import PROPERTY_IDS


def run(python: str, arguments: list[str], cwd: Path) -> tuple[float, dict | None, float]:
    """Wall seconds, the JSON report (when asked for) and the peak resident MiB of the
    largest process of the run (the command or any worker it waited for)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen([python, "-m", "verifier", *arguments], cwd=cwd,
                                 stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0), err.seek(0)
        if child.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(arguments)} exited {child.returncode}: {err.read()}")
        report = json.loads(out.read()) if "--format" in arguments else None
    return seconds, report, usage.ru_maxrss / 1024

def speed_up(walls: dict[str, float], what: str, *, target: float) -> None:
    """The baseline's wall time over this one's, when both ran (the issue's targets are
    these ratios: machines differ, and so does one machine from hour to hour)."""
    if "baseline" in walls and "this" in walls:
        print(f"  {what}: {walls['baseline'] / walls['this']:.2f}x faster than the baseline "
              f"(target {target:g}x)")


# issue 17's workload: the properties its baseline (3b34227) has; the float accuracy
# properties of issue 19 came later and are timed on their own row ("this, all")
BASELINE_PROPERTIES = [p for p in PROPERTY_IDS if p not in ("float_accurate",
                                                            "gradient_accurate")]


def catalog(pythons: dict[str, str], work: Path, job_counts: list[int]) -> None:
    print(f"{'catalog run':<22}{'wall s':>8}{'median s':>10}  {'slowest':<24}{'decided':>10}")
    slowest = {}
    runs = [(jobs, label, python, BASELINE_PROPERTIES) for jobs in job_counts
            for label, python in pythons.items()]
    runs.append((job_counts[-1], "this, all", pythons["this"], list(PROPERTY_IDS)))
    walls: dict[int, dict[str, float]] = {}
    for jobs, label, python, properties in runs:
        seconds, report, _ = run(python, ["check", "--jobs", str(jobs), "--format",
                                          "json", "-q", "--properties",
                                          ",".join(properties)], work)
        walls.setdefault(jobs, {})[label] = seconds
        per = sorted((a["seconds"], a["name"]) for a in report["activations"])
        verdicts = [p["verdict"] for a in report["activations"] for p in
                    a["properties"].values()]
        decided = sum(v != "unknown" for v in verdicts)
        print(f"{f'{label} --jobs {jobs}':<22}{seconds:>8.1f}"
              f"{statistics.median(t for t, _ in per):>10.2f}"
              f"  {f'{per[-1][1]} {per[-1][0]:.1f} s':<24}"
              f"{f'{decided}/{len(verdicts)}':>10}")
        slowest[label] = report   # the last --jobs count's
    for jobs, by_label in walls.items():
        speed_up(by_label, f"catalog --jobs {jobs}", target=3)
    for label, report in slowest.items():
        slowest_pairs(label, report)


def slowest_pairs(label: str, report: dict, count: int = 10) -> None:
    """The (activation, property) pairs that took longest: analysis plus cross-check (a
    report without cross-check times counts its analysis only)."""
    pairs = sorted(((p["seconds"] + ((p.get("crosscheck") or {}).get("seconds") or 0.0),
                     p["seconds"], a["name"], pid)
                    for a in report["activations"] for pid, p in a["properties"].items()),
                   reverse=True)
    print(f"  {f'{label}: slowest pairs':<40}{'total s':>8}{'analysis s':>12}")
    for total, analysis, name, pid in pairs[:count]:
        print(f"  {f'{name} {pid}':<40}{total:>8.2f}{analysis:>12.2f}")


def search(pythons: dict[str, str], work: Path, count: int, repeat: int) -> None:
    """The screen `repeat` times per interpreter, alternating this and the baseline, so that
    a drift of the machine's speed (25% within an hour here) weighs on both alike; the
    medians are compared."""
    pairs = search_space.candidates()
    stride = max(1, len(pairs) // count)
    chosen = pairs[::stride][:count]
    path = work / "candidates.toml"
    path.write_text(search_space.candidate_file(chosen), encoding="utf-8")
    print(f"{'search screen':<22}{'candidates':>11}{'wall s':>8}{'cand/s':>8}{'survive':>9}"
          f"{'peak MiB':>10}")
    runs: dict[str, list[float]] = {label: [] for label in pythons}
    for attempt in range(repeat):
        for label, python in pythons.items():
            seconds, report, peak = run(python, ["check", str(path), "--rules", "search",
                                                 "--jobs", "2", "--format", "json", "-q"], work)
            survivors = sum(not a["findings"] and not a["error"] for a in report["activations"])
            shown = label if repeat == 1 else f"{label} ({attempt + 1}/{repeat})"
            print(f"{shown:<22}{len(chosen):>11}{seconds:>8.1f}{len(chosen) / seconds:>8.1f}"
                  f"{survivors:>9}{peak:>10.0f}")
            runs[label].append(seconds)
    walls = {label: statistics.median(seconds) for label, seconds in runs.items()}
    if repeat > 1:
        for label, seconds in walls.items():
            print(f"{label + ' (median)':<22}{len(chosen):>11}{seconds:>8.1f}"
                  f"{len(chosen) / seconds:>8.1f}")
    speed_up(walls, "search screen", target=5)


def reproducible(work: Path) -> None:
    """Verdicts and facts of the catalog at --jobs 1 under load and --jobs 2 idle."""
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        loaded = run(sys.executable, ["check", "--jobs", "1", "--format", "json", "-q"], work)
    finally:
        hog.kill()
        hog.wait()
    idle = run(sys.executable, ["check", "--jobs", "2", "--format", "json", "-q"], work)

    def answers(report: dict) -> dict[tuple[str, str], tuple]:
        return {(a["name"], pid): (p["verdict"], json.dumps(p["facts"], sort_keys=True))
                for a in report["activations"] for pid, p in a["properties"].items()}
    first, second = answers(loaded[1]), answers(idle[1])
    differ = sorted(key for key in first.keys() | second.keys()
                    if first.get(key) != second.get(key))
    print(f"reproducible: --jobs 1 under load {loaded[0]:.1f} s, --jobs 2 idle {idle[0]:.1f} s: "
          f"{len(first)} verdicts, {len(differ)} differ" + "".join(
              f"\n  {name} {pid}: {first.get((name, pid))} vs {second.get((name, pid))}"
              for name, pid in differ))


def startup(pythons: dict[str, str], work: Path) -> None:
    """Cold start on the baseline's properties (like for like), then `check --expr x` with
    every property (the accuracy scans and ml_dtypes' import are work, not start-up)."""
    print(f"{'start-up':<22}{'command':<34}{'min s':>8}{'median s':>10}")
    expr = ["check", "--expr", "x", "--no-crosscheck", "-q"]
    runs = [(label, python, ["--version"], "--version") for label, python in
            pythons.items()]
    runs += [(label, python, [*expr, "--properties", ",".join(BASELINE_PROPERTIES)],
              "check --expr x --no-crosscheck") for label, python in pythons.items()]
    runs.append(("this, all", pythons["this"], expr, "check --expr x --no-crosscheck"))
    for label, python, arguments, shown in runs:
        times = [run(python, arguments, work)[0] for _ in range(5)]
        print(f"{label:<22}{shown:<34}{min(times):>8.2f}{statistics.median(times):>10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("catalog", "search", "startup", "reproducible"))
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of the search screen per interpreter, alternating (3)")
    parser.add_argument("--jobs", default="1,2", help="the catalog's --jobs counts (1,2)")
    parser.add_argument("--against", metavar="PYTHON",
                        help="another interpreter with the baseline installed")
    options = parser.parse_args()
    pythons = {"this": sys.executable}
    if options.against:
        pythons["baseline"] = options.against
    print(f"{os.cpu_count()} cores, python {sys.version.split()[0]}")
    if sys.prefix == sys.base_prefix:   # start-up is paid twice a command (verifier.seeded)
        print("note: not a virtualenv's python: whatever its site-packages run at start-up "
              "(.pth files) is timed too; compare like with like (pip install . into a venv)")
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)   # no pyproject.toml here: the defaults apply
        if options.only in (None, "startup"):
            startup(pythons, work)
        if options.only in (None, "search"):
            search(pythons, work, options.candidates, max(1, options.repeat))
        if options.only in (None, "catalog"):
            catalog(pythons, work, [int(n) for n in options.jobs.split(",")])
        if options.only in (None, "reproducible"):
            reproducible(work)


if __name__ == "__main__":
    main()
