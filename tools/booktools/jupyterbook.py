"""Running jupyter-book: the one place its command line is built.

Every build (the HTML book, the student edition, both PDFs) runs
``jupyter-book build <source> [--builder B] -W -n --keep-going [--path-output O] [--config C]``:
every Sphinx warning fails the build. The kernels it starts get the kernel environment
(:data:`booktools.kernel.KERNEL_ENV`).

jupyter-book runs in this interpreter with the module ``rfc3987_syntax`` blocked. jsonschema imports
that module, when it is installed (jupyter-events asks for it), only to register a checker for the
JSON-schema formats "iri" and "iri-reference"; the import compiles an Earley grammar with lark, about
two seconds of every build. No schema used by the build has those formats and no validator in it checks
formats, so blocking the import (jsonschema treats it as "not installed") changes nothing in the output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .kernel import KERNEL_ENV

#: jupyter-book's command line, run by this interpreter, without the slow import (module docstring).
JUPYTER_BOOK_CLI = (
    "import sys; sys.modules['rfc3987_syntax'] = None; "
    "from jupyter_book.cli.main import main; sys.exit(main())"
)


def command(source: Path, *, output: Path | None = None, builder: str | None = None,
            config: Path | None = None) -> list[str]:
    """The ``jupyter-book build`` command for ``source`` (warnings are errors; see the module docstring)."""
    args = [sys.executable, "-c", JUPYTER_BOOK_CLI, "build", str(source)]
    if builder is not None:
        args += ["--builder", builder]
    args += ["-W", "-n", "--keep-going"]
    if output is not None:
        args += ["--path-output", str(output)]
    if config is not None:
        args += ["--config", str(config)]
    return args


def run(source: Path, *, output: Path | None = None, builder: str | None = None, config: Path | None = None,
        env: dict[str, str] | None = None) -> int:
    """Run jupyter-book on ``source`` (in that folder) with the kernel environment plus ``env``; its exit status."""
    return subprocess.call(command(source, output=output, builder=builder, config=config), cwd=source,
                           env={**os.environ, **KERNEL_ENV, **(env or {})})
