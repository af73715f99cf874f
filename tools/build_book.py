"""Build the book's HTML with every warning an error, never showing stale outputs.

Usage (from the repository root, inside the project's environment)::

    python tools/build_book.py            # -> _build/html/index.html

The build executes the chapter notebooks (``execute_notebooks: cache`` in
``_config.yml``), so the book shows what today's code computes. jupyter-cache
keys its cache on the notebooks' code cells only: it would not notice a change
in the ``regbook`` package or in the pinned requirements (nor would Sphinx notice a
change in the book's own extensions, ``_ext/``). This script therefore
stores a fingerprint of those files next to the build and throws the whole
build away (cache, doctrees, HTML) whenever the fingerprint changes.

It runs ``jupyter-book build . -W -n --keep-going``: any warning -- a failing
cell, a broken reference, text written to stderr by a chapter -- fails the
build (exit status 1). The fingerprint is written only after a clean build.

When no file of the repository has changed since the start of the last successful
build (same fingerprint, the HTML still there), there is nothing to do and the script
says so without starting jupyter-book, like ``make`` with an up-to-date target
(``--no-skip`` runs jupyter-book anyway). Like Sphinx itself, it judges by
modification times.

Before jupyter-book starts, the chapter notebooks that the execution cache does not hold yet are
executed **in parallel** (``--jobs``, default 2 processes), each exactly as myst-nb would execute it
(``jupyter_cache``'s ``single_nb_execution`` in the notebook's folder, with the book's timeout, no
errors allowed, the kernel environment of ``kernel_env.py`` plus ``extra_env``), and stored in the
cache the way myst-nb stores them, the longest first (by the times of earlier builds, kept in
``_build/.regbook-execution-times.json``). jupyter-book (``execute_notebooks: cache``) then finds every
notebook in the cache and only renders. A notebook that fails is not cached: jupyter-book executes it
again itself and reports the failure as a warning, so ``-W`` fails the build as before.

Running jupyter-book when nothing changed still takes a few seconds, nearly all of it
Python start-up and imports. Two of those imports are avoided: this script does not import
nbformat/nbclient (see ``kernel_env.py``), and jupyter-book runs with the module
``rfc3987_syntax`` blocked. jsonschema imports that module, when it is installed
(jupyter-events asks for it), only to register a checker for the JSON-schema
formats "iri" and "iri-reference"; the import compiles an Earley grammar with lark,
about two seconds. No schema used by the build has those formats and no validator
in it checks formats, so blocking the import (jsonschema treats it as "not
installed") changes nothing in the output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from kernel_env import KERNEL_ENV  # noqa: E402  (same kernel environment as nbval and refreshes)

DEFAULT_JOBS = 2
EXECUTION_TIMES_NAME = ".regbook-execution-times.json"  # not a build part: kept when a stale build is discarded

FINGERPRINT_NAME = ".regbook-fingerprint"
# jupyter-book's command line, run by this interpreter, without the slow import (module docstring).
JUPYTER_BOOK_CLI = (
    "import sys; sys.modules['rfc3987_syntax'] = None; "
    "from jupyter_book.cli.main import main; sys.exit(main())"
)


def fingerprint(root: Path = ROOT) -> str:
    """SHA-256 over the package sources, the pinned requirements and the book's local Sphinx extensions."""
    files = sorted((root / "code").rglob("*.py")) + [root / "code" / "pyproject.toml", root / "requirements.txt"]
    files += sorted((root / "_ext").glob("*.py"))
    digest = hashlib.sha256()
    for path in files:
        if "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


# Folders that hold no input of the book (outputs, environments, caches).
NOT_INPUTS = {"_build", ".venv", ".git", "__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".hypothesis",
              "dist", "node_modules"}


def newest_input(root: Path = ROOT) -> int:
    """The latest modification time (ns) of the repository's files and folders outside ``NOT_INPUTS``.

    Folders count because removing or renaming a file changes only its folder's time.
    """
    newest = 0
    for folder, subfolders, files in os.walk(root):
        newest = max(newest, os.stat(folder).st_mtime_ns)
        subfolders[:] = [d for d in subfolders if d not in NOT_INPUTS and not d.endswith(".egg-info")]
        for name in files:
            newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
    return newest


def up_to_date(output: Path, *, root: Path = ROOT) -> bool:
    """True when the last build into ``output`` succeeded and no input changed since it started."""
    stamp = output / "_build" / FINGERPRINT_NAME
    return (
        stamp.is_file()
        and (output / "_build" / "html" / "index.html").is_file()
        and stamp.read_text().strip() == fingerprint(root)
        and newest_input(root) < stamp.stat().st_mtime_ns
    )


# What a build of this edition writes into ``_build/``. Only these are ever discarded: ``_build/`` also
# holds other editions' outputs (the student edition in ``_build/student``, its staging folder, the PDF),
# which a build of this edition must never delete.
INSTRUCTOR_BUILD_PARTS = (".jupyter_cache", ".doctrees", "html", "jupyter_execute", FINGERPRINT_NAME)


def discard_build(build_dir: Path) -> None:
    """Remove this edition's cache, doctrees, executed notebooks, HTML and fingerprint; nothing else."""
    for name in INSTRUCTOR_BUILD_PARTS:
        path = build_dir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def _execute_one(path: str, env: dict[str, str], timeout: int):
    """Execute one notebook as myst-nb's cache client does; return (path, notebook, seconds, error text)."""
    os.environ.update(env)
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    notebook = nbformat.read(path, as_version=4)
    result = single_nb_execution(notebook, cwd=str(Path(path).parent), allow_errors=False, timeout=timeout,
                                 meta_override=True)
    return path, notebook, result.time, (result.exc_string if result.err is not None else None)


def _book_notebooks(root: Path) -> list[Path]:
    """The ``.ipynb`` files listed in ``root/_toc.yml`` (none without a table of contents)."""
    if not (root / "_toc.yml").is_file():
        return []
    from book_toc import toc_files

    return [root / f"{entry}.ipynb" for entry in toc_files(root) if (root / f"{entry}.ipynb").is_file()]


def execute_in_parallel(root: Path, build_dir: Path, env: dict[str, str], *, jobs: int = DEFAULT_JOBS) -> list[str]:
    """Execute the book's notebooks missing from the jupyter-cache in ``build_dir`` with ``jobs`` processes.

    Returns the notebooks that failed (they are left out of the cache). Uses the cache folder and the
    timeout jupyter-book uses (``_build/.jupyter_cache``, ``execute.timeout`` of ``_config.yml``).
    """
    notebooks = _book_notebooks(root)
    if not notebooks:
        return []
    import concurrent.futures
    import multiprocessing

    import nbformat
    import yaml
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    config_file = root / "_config.yml"
    config = yaml.safe_load(config_file.read_text()) if config_file.is_file() else {}
    timeout = int((config.get("execute") or {}).get("timeout", 30))
    cache = get_cache(str(build_dir / ".jupyter_cache"))
    missing = []
    for path in notebooks:
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            missing.append(str(path))
    if not missing:
        return []
    # Longest first, so that the pool does not end with one long notebook running alone: by the times
    # measured in earlier builds (a file in _build/ that discarding a stale build keeps); unknown ones first.
    times_file = build_dir / EXECUTION_TIMES_NAME
    try:
        times = json.loads(times_file.read_text())
    except (OSError, ValueError):
        times = {}
    key = {path: str(Path(path).relative_to(root)) for path in missing}
    missing.sort(key=lambda path: -float(times.get(key[path], float("inf"))))
    failed = []
    context = multiprocessing.get_context("spawn")  # fresh interpreters: no state shared with this one
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, min(jobs, len(missing))),
                                                mp_context=context) as pool:
        futures = [pool.submit(_execute_one, path, env, timeout) for path in missing]
        for future in concurrent.futures.as_completed(futures):
            path, notebook, seconds, error = future.result()
            name = Path(path).relative_to(root)
            if error is not None:
                failed.append(path)
                print(f"pre-execution of {name} failed; jupyter-book will execute it again and report it")
                continue
            cache.cache_notebook_bundle(CacheBundleIn(notebook, path, data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            print(f"executed {name} in {seconds:.1f} s")
            times[str(name)] = round(seconds, 1)
    build_dir.mkdir(parents=True, exist_ok=True)
    times_file.write_text(json.dumps(times, indent=1, sort_keys=True) + "\n")
    return failed


def build(output: Path, *, root: Path = ROOT, skip_if_up_to_date: bool = True,
          extra_env: dict[str, str] | None = None, jobs: int = DEFAULT_JOBS) -> int:
    """Build the book from ``root`` into ``output/_build``; return the exit status.

    ``extra_env`` is added to the kernels' environment: the test suite passes
    ``kernel_env.other_machine_env()``, so that the build executes the chapters as another machine would.
    ``jobs`` notebooks are executed at a time before jupyter-book starts (module docstring); ``jobs=0``
    leaves all execution to jupyter-book, one notebook after the other.
    """
    build_dir = output / "_build"
    stamp = build_dir / FINGERPRINT_NAME
    if skip_if_up_to_date and up_to_date(output, root=root):
        print(f"nothing changed since the last build: {build_dir / 'html'} is up to date")
        return 0
    current = fingerprint(root)
    previous = stamp.read_text().strip() if stamp.is_file() else None
    if previous != current and any((build_dir / name).exists() for name in INSTRUCTOR_BUILD_PARTS):
        reason = ("regbook or the requirements changed since the last build" if previous is not None
                  else "the last build of this edition did not finish")
        print(f"{reason}: discarding its cache, doctrees and HTML")
        discard_build(build_dir)
    command = [sys.executable, "-c", JUPYTER_BOOK_CLI, "build", str(root), "-W", "-n", "--keep-going"]
    if output.resolve() != root.resolve():
        command += ["--path-output", str(output)]
    env = {**os.environ, **KERNEL_ENV, **(extra_env or {})}
    started_ns, start = time.time_ns(), time.perf_counter()
    if jobs > 0:
        execute_in_parallel(root, build_dir, {**KERNEL_ENV, **(extra_env or {})}, jobs=jobs)
    status = subprocess.call(command, cwd=root, env=env)
    print(f"book build finished with status {status} in {time.perf_counter() - start:.1f} s")
    if status == 0:
        build_dir.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current + "\n")
        os.utime(stamp, ns=(started_ns, started_ns))  # inputs changed during the build count as changed
        print(f"open {build_dir / 'html' / 'index.html'}")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output", type=Path, default=ROOT, help="folder that receives _build/ (default: the repository)"
    )
    parser.add_argument(
        "--no-skip", action="store_true", help="run jupyter-book even when nothing changed since the last build"
    )
    parser.add_argument(
        "--jobs", type=int, default=DEFAULT_JOBS,
        help=f"notebooks executed at a time before jupyter-book renders (default {DEFAULT_JOBS}; 0: jupyter-book executes them one by one)",
    )
    args = parser.parse_args(argv)
    return build(args.output.resolve(), skip_if_up_to_date=not args.no_skip, jobs=args.jobs)


if __name__ == "__main__":
    sys.exit(main())
