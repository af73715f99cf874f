"""Re-execute chapter notebooks in place, so their stored outputs match today's code.

Usage (inside the project's environment; ``make refresh [NB=...]``)::

    book refresh                                # every notebook under chapters/
    book refresh chapters/01_overfitting.ipynb

Each notebook is executed top to bottom in a fresh kernel, in its own folder
(:func:`booktools.kernel.execute`).
Only if every cell succeeds is the file replaced, atomically (a temporary file
in the same folder, then ``os.replace``): a failing notebook is left exactly as
it was, and the error is reported. The exit status is the number of notebooks
that failed (0 when all succeeded).

Outputs are normalised so that a refresh changes a file only where an output
really changed: execution timings are not recorded, execution counts run
1, 2, 3, ..., the kernel metadata is fixed, and consecutive pieces of the same
stream are joined (where the kernel cuts printed text into messages depends on
timing, not on the code).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from .kernel import execute
from .paths import chapter_notebooks, shown

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def merge_streams(outputs: list) -> list:
    """Join consecutive stream outputs of the same name (stdout/stderr) into one output."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and output.get("output_type") == "stream"
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def normalise(nb) -> None:
    """Make the stored notebook independent of when and where it was run."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    language_info = nb.metadata.get("language_info", {})
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": language_info.get("pygments_lexer", "ipython3")}
    for key in ("widgets", "papermill", "execution"):
        nb.metadata.pop(key, None)
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        cell.outputs = merge_streams(cell.get("outputs", []))
        for output in cell.outputs:
            if "execution_count" in output:
                output["execution_count"] = count


def refresh(path: Path, *, timeout: int = 600) -> float:
    """Execute one notebook and replace it atomically; return the execution time in seconds.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        If a cell fails (other nbclient errors for a timeout or a dead
        kernel); the file on disk is then untouched.
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    elapsed = execute(nb, path.parent, timeout=timeout)
    normalise(nb)
    nbformat.validate(nb)
    fd, tmp = tempfile.mkstemp(suffix=".ipynb", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            nbformat.write(nb, handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return elapsed


def refresh_all(paths: list[Path], *, timeout: int = 600) -> int:
    """Refresh ``paths`` (default: every chapter), reporting each; return the number that failed."""
    paths = [p.resolve() for p in paths] or chapter_notebooks()
    failures = 0
    for path in paths:
        if path.suffix != ".ipynb" or not path.is_file():
            print(f"not a notebook file: {path}", file=sys.stderr)
            failures += 1
            continue
        try:
            seconds = refresh(path, timeout=timeout)
        except Exception as exc:  # a failing cell, a timeout, a dead kernel: keep the file
            failures += 1
            print(f"FAILED {shown(path)} (left unchanged):\n{exc}", file=sys.stderr)
        else:
            print(f"refreshed {shown(path)} in {seconds:.1f} s")
    return failures
