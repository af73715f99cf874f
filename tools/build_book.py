"""Build the book's HTML with every warning an error, never showing stale outputs.

Usage (from the repository root, inside the project's environment)::

    python tools/build_book.py            # -> _build/html/index.html

The build executes the chapter notebooks (``execute_notebooks: cache`` in
``_config.yml``), so the book shows what today's code computes. jupyter-cache
keys its cache on the notebooks' code cells only: it would not notice a change
in the ``regbook`` package or in the pinned requirements. This script therefore
stores a fingerprint of those files next to the build and throws the whole
build away (cache, doctrees, HTML) whenever the fingerprint changes.

It runs ``jupyter-book build . -W -n --keep-going``: any warning -- a failing
cell, a broken reference, text written to stderr by a chapter -- fails the
build (exit status 1). The fingerprint is written only after a clean build.

A rebuild with nothing changed takes a few seconds, nearly all of it Python start-up
and imports. Two of those imports are avoided: this script does not import
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
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from kernel_env import KERNEL_ENV  # noqa: E402  (same kernel environment as nbval and refreshes)

FINGERPRINT_NAME = ".regbook-fingerprint"
# jupyter-book's command line, run by this interpreter, without the slow import (module docstring).
JUPYTER_BOOK_CLI = (
    "import sys; sys.modules['rfc3987_syntax'] = None; "
    "from jupyter_book.cli.main import main; sys.exit(main())"
)


def fingerprint(root: Path = ROOT) -> str:
    """SHA-256 over the package sources and the pinned requirements (names and contents)."""
    files = sorted((root / "code").rglob("*.py")) + [root / "code" / "pyproject.toml", root / "requirements.txt"]
    digest = hashlib.sha256()
    for path in files:
        if "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def build(output: Path, *, root: Path = ROOT) -> int:
    """Build the book from ``root`` into ``output/_build``; return the exit status."""
    build_dir = output / "_build"
    stamp = build_dir / FINGERPRINT_NAME
    current = fingerprint(root)
    if build_dir.exists() and (not stamp.is_file() or stamp.read_text().strip() != current):
        print("regbook or the requirements changed since the last build: starting from a clean _build/")
        shutil.rmtree(build_dir)
    command = [sys.executable, "-c", JUPYTER_BOOK_CLI, "build", str(root), "-W", "-n", "--keep-going"]
    if output.resolve() != root.resolve():
        command += ["--path-output", str(output)]
    env = {**os.environ, **KERNEL_ENV}
    start = time.perf_counter()
    status = subprocess.call(command, cwd=root, env=env)
    print(f"book build finished with status {status} in {time.perf_counter() - start:.1f} s")
    if status == 0:
        build_dir.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current + "\n")
        print(f"open {build_dir / 'html' / 'index.html'}")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output", type=Path, default=ROOT, help="folder that receives _build/ (default: the repository)"
    )
    args = parser.parse_args(argv)
    return build(args.output.resolve())


if __name__ == "__main__":
    sys.exit(main())
