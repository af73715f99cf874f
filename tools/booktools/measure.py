"""Measure the figures the README reports: build times, test time, chapter execution times.

Usage (in the project's environment; ``make measure``)::

    book measure                  # 3 runs of each build figure, 3 of the tests
    book measure --runs 5 --test-runs 1
    book measure --test-runs 0    # build figures only

Each figure is the median of several runs on this machine, with every run listed, as wall time
and as CPU time (user + system of all processes involved: less sensitive to other load):

- **cold build**: ``book build`` (what ``make book`` runs) into an empty output
  folder, so every chapter is executed and every page written;
- **warm build, nothing changed**: the same command again on that output (it finds nothing newer
  than the last build and stops), and the same with ``--no-skip``, which runs jupyter-book anyway;
- **warm build, one chapter touched**: after updating the modification time of one chapter (its
  outputs stay cached: jupyter-cache keys on the code, so nothing is executed, but Sphinx rereads
  and rewrites the page);
- **test command**: ``python -m pytest -n 2 --dist loadfile`` (what ``make test`` runs);
- **chapter execution**: for every chapter, the seconds the cold build spent executing it
  (jupyter-cache records them), kernel start included.

The builds run on a copy of the repository's files in a temporary folder, so the working tree and
its ``_build/`` are never touched. The tests run in the repository itself (they build the book into
a temporary folder of their own). Nothing here is a test: timings depend on the machine and its
load, and no figure ever fails anything. The targets are those of the project's issue on 2 cores.
"""

from __future__ import annotations

import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .paths import ROOT, book_notebooks

TARGETS = {  # figure -> (target in seconds, how the README states it)
    "cold build": (60.0, "< 60 s"),
    "warm build, nothing changed": (5.0, "< 5 s"),
    "warm build, nothing changed, jupyter-book run anyway (--no-skip)": (5.0, "< 5 s"),
    "warm build, one chapter touched": (None, ""),
    "test command (make test)": (180.0, "< 3 min"),
}


def repository_files(root: Path = ROOT) -> list[str]:
    """Tracked and new (not ignored) files of the repository, relative paths."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=root, check=True, capture_output=True, text=True,
    ).stdout.splitlines()
    return [name for name in listed if (root / name).is_file()]


def copy_repository(destination: Path, root: Path = ROOT) -> Path:
    """Copy the repository's files (not .venv, _build or anything ignored) into ``destination``."""
    for name in repository_files(root):
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    return destination


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, log: Path) -> tuple[float, float]:
    """Run ``command`` in ``cwd`` (output to ``log``); return its wall time and CPU time; raise if it fails.

    The CPU time (user + system, of the command and every process it waited for, kernels
    included) depends much less than the wall time on what else the machine is doing.
    """
    cpu, start = _children_cpu(), time.perf_counter()
    with log.open("a") as handle:
        status = subprocess.call(command, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT)
    elapsed, cpu = time.perf_counter() - start, _children_cpu() - cpu
    if status != 0:
        raise RuntimeError(f"{' '.join(command)} failed with status {status}; see {log}")
    return elapsed, cpu


def execution_seconds(output: Path) -> dict[str, float]:
    """Seconds jupyter-cache recorded for executing each notebook of the build in ``output``."""
    from jupyter_cache import get_cache

    cache = get_cache(output / "_build" / ".jupyter_cache")
    return {Path(record.uri).name: float(record.data.get("execution_seconds", "nan"))
            for record in cache.list_cache_records()}


Times = list[tuple[float, float]]  # (wall, CPU) seconds of each run


def measure_builds(runs: int, touch: str, log: Path) -> tuple[dict[str, Times], dict[str, list[float]]]:
    figures: dict[str, Times] = {"cold build": [], "warm build, nothing changed": [],
                                 "warm build, nothing changed, jupyter-book run anyway (--no-skip)": [],
                                 "warm build, one chapter touched": []}
    chapters: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="regbook-measure-") as tmp:
        copy = copy_repository(Path(tmp) / "repo")
        command = [sys.executable, "-m", "booktools", "build", "--source", str(copy), "--output"]
        for run in range(runs):
            output = Path(tmp) / f"build-{run}"
            figures["cold build"].append(timed(command + [str(output)], copy, log))
            for name, seconds in execution_seconds(output).items():
                chapters.setdefault(name, []).append(seconds)
            figures["warm build, nothing changed"].append(timed(command + [str(output)], copy, log))
            figures["warm build, nothing changed, jupyter-book run anyway (--no-skip)"].append(
                timed(command + [str(output), "--no-skip"], copy, log))
            os.utime(copy / touch)
            figures["warm build, one chapter touched"].append(timed(command + [str(output)], copy, log))
            shutil.rmtree(output)
            print(f"  build run {run + 1}/{runs}: " + ", ".join(f"{v[-1][0]:.1f}" for v in figures.values()) + " s",
                  flush=True)
    return figures, chapters


def measure_tests(runs: int, log: Path) -> Times:
    times = []
    for run in range(runs):
        times.append(timed([sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadfile", "-q"], ROOT, log))
        print(f"  test run {run + 1}/{runs}: {times[-1][0]:.1f} s", flush=True)
    return times


def table(figures: dict[str, Times], chapters: dict[str, list[float]]) -> str:
    rows = ["| figure | median wall | runs, wall (s) | median CPU | target | met |",
            "| --- | --- | --- | --- | --- | --- |"]
    for name, values in figures.items():
        if not values:
            continue
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        target, stated = TARGETS.get(name, (None, ""))
        met = "" if target is None else ("yes" if wall < target else "no")
        runs = ", ".join(f"{v[0]:.1f}" for v in values)
        rows.append(f"| {name} | {wall:.1f} s | {runs} | {cpu:.1f} s | {stated} | {met} |")
    for name, values in sorted(chapters.items()):
        rows.append(f"| execution of {name} (in the cold build) | {statistics.median(values):.1f} s | "
                    f"{', '.join(f'{v:.1f}' for v in values)} |  |  |  |")
    return "\n".join(rows)


def measure(runs: int = 3, test_runs: int = 3, touch: str | None = None) -> int:
    """``book measure``: print the table of build, test and chapter execution times."""
    notebooks = [p.relative_to(ROOT).as_posix() for p in book_notebooks(ROOT)]
    touch = touch or (notebooks[1] if len(notebooks) > 1 else notebooks[0])
    log = Path(tempfile.gettempdir()) / "regbook-measure.log"
    log.write_text("")
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}, "
          f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}; command output in {log}")
    figures, chapters = measure_builds(runs, touch, log)
    figures["test command (make test)"] = measure_tests(test_runs, log)
    print(f"\nChapter touched for \"one chapter touched\": {touch}\n")
    print(table(figures, chapters))
    return 0
