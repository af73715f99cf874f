"""Build the book's HTML with every warning an error, never showing stale outputs.

Usage (inside the project's environment; ``make book``)::

    book build            # -> _build/html/index.html

The build executes the chapter notebooks (``execute_notebooks: cache`` in
``_config.yml``), so the book shows what today's code computes. jupyter-cache
keys its cache on the notebooks' code cells only: it would not notice a change
in the ``regbook`` package or in the pinned requirements (nor would Sphinx notice a
change in the book's own extensions, ``_ext/``). ``book build`` therefore
stores a fingerprint of those files next to the build and throws the whole
build away (cache, doctrees, HTML) whenever the fingerprint changes.

It runs ``jupyter-book build . -W -n --keep-going`` (:mod:`booktools.jupyterbook`): any warning -- a failing
cell, a broken reference, text written to stderr by a chapter -- fails the
build (exit status 1). The fingerprint is written only after a clean build.

When no file of the repository has changed since the start of the last successful
build (same fingerprint, the HTML still there), there is nothing to do and the command
says so without starting jupyter-book, like ``make`` with an up-to-date target
(``--no-skip`` runs jupyter-book anyway). Like Sphinx itself, it judges by
modification times.

Before jupyter-book starts, the chapter notebooks that the execution cache does not hold yet are
executed **in parallel** (``--jobs``, default 2 processes) by :func:`booktools.kernel.execute_into_cache`
(in the notebook's folder, with the book's timeout, no errors allowed, the kernel environment plus
``extra_env``), and stored in the cache the way myst-nb stores them, the longest first (by the times of earlier builds, kept in
``_build/.regbook-execution-times.json``). jupyter-book (``execute_notebooks: cache``) then finds every
notebook in the cache and only renders. A notebook that fails is not cached: jupyter-book executes it
again itself and reports the failure as a warning, so ``-W`` fails the build as before.

Running jupyter-book when nothing changed still takes a few seconds, nearly all of it Python
start-up and imports; a no-change ``book build`` imports neither jupyter-book nor nbformat/nbclient.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

from . import jupyterbook
from .kernel import KERNEL_ENV
from .paths import GENERATED, ROOT

DEFAULT_JOBS = 2
EXECUTION_TIMES_NAME = ".regbook-execution-times.json"  # not a build part: kept when a stale build is discarded
FINGERPRINT_NAME = ".regbook-fingerprint"


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


def newest_input(root: Path = ROOT) -> int:
    """The latest modification time (ns) of the repository's files and folders outside ``GENERATED``.

    Folders count because removing or renaming a file changes only its folder's time.
    """
    newest = 0
    for folder, subfolders, files in os.walk(root):
        newest = max(newest, os.stat(folder).st_mtime_ns)
        subfolders[:] = [d for d in subfolders if d not in GENERATED and not d.endswith(".egg-info")]
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


def execute_in_parallel(root: Path, build_dir: Path, env: dict[str, str], *, jobs: int = DEFAULT_JOBS) -> list[str]:
    """Execute the book's notebooks missing from the jupyter-cache in ``build_dir``, ``jobs`` at a time.

    Uses the cache folder and the timeout jupyter-book uses (``_build/.jupyter_cache``, ``execute.timeout``
    of ``_config.yml``); returns the notebooks that failed (see :func:`booktools.kernel.execute_into_cache`).
    """
    from .kernel import execute_into_cache
    from .paths import book_notebooks

    notebooks = book_notebooks(root)
    if not notebooks:
        return []
    import yaml

    config_file = root / "_config.yml"
    config = yaml.safe_load(config_file.read_text()) if config_file.is_file() else {}
    timeout = int((config.get("execute") or {}).get("timeout", 30))
    return execute_into_cache(notebooks, build_dir / ".jupyter_cache", timeout=timeout, env=env, jobs=jobs,
                              times_file=build_dir / EXECUTION_TIMES_NAME, root=root)


def build(output: Path, *, root: Path = ROOT, skip_if_up_to_date: bool = True,
          extra_env: dict[str, str] | None = None, jobs: int = DEFAULT_JOBS) -> int:
    """Build the book from ``root`` into ``output/_build``; return the exit status.

    ``extra_env`` is added to the kernels' environment: the test suite passes
    ``booktools.kernel.other_machine_env()``, so that the build executes the chapters as another machine would.
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
    started_ns, start = time.time_ns(), time.perf_counter()
    if jobs > 0:
        execute_in_parallel(root, build_dir, {**KERNEL_ENV, **(extra_env or {})}, jobs=jobs)
    status = jupyterbook.run(root, output=output if output.resolve() != root.resolve() else None, env=extra_env)
    print(f"book build finished with status {status} in {time.perf_counter() - start:.1f} s")
    if status == 0:
        build_dir.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current + "\n")
        os.utime(stamp, ns=(started_ns, started_ns))  # inputs changed during the build count as changed
        print(f"open {build_dir / 'html' / 'index.html'}")
    return status
