"""What an environment outside the repository needs: a ``regbook`` wheel and pinned requirements.

Used by the Gradescope autograder (:mod:`booktools.gradescope`) and the student kit (:mod:`booktools.student_kit`).
Neither may point pip at ``-e ./code`` (there is no repository there), so both ship

- a wheel of ``regbook`` built from ``code/`` (:func:`build_wheel`), and
- a requirements file that pins, with the versions of the repository's ``requirements.txt``, every
  distribution that the listed roots pull in (:func:`pinned_requirements`). The closure is read from
  the installed metadata of the project's environment, so it is exactly what ``make venv`` installed
  and checked with ``pip check``.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .paths import ROOT

PACKAGE = ROOT / "code"
REQUIREMENTS = ROOT / "requirements.txt"


@functools.cache
def _wheel_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="regbook-wheel-"))


@functools.cache
def build_wheel() -> Path:
    """Build the ``regbook`` wheel from ``code/`` once per process; return its path.

    Built without build isolation (the project's environment has setuptools), so no download, and
    from a copy of ``code/`` so that setuptools' ``build/`` folder never lands in the repository.
    """
    out = _wheel_dir()
    # setuptools writes build/ and *.egg-info beside the sources: build from a copy, never in code/
    source = out / "src"
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "--wheel-dir", str(out), str(source)],
        check=True, capture_output=True, text=True,
    )
    shutil.rmtree(source)
    wheels = sorted(out.glob("regbook-*.whl"))
    if len(wheels) != 1:
        raise RuntimeError(f"expected one regbook wheel in {out}, found {wheels}")
    return wheels[0]


def repository_pins(path: Path = REQUIREMENTS) -> dict[str, str]:
    """``{canonical name: "Name==version"}`` for every exact pin of a requirements file (extras dropped)."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        (spec,) = req.specifier  # every line is pinned exactly
        if spec.operator != "==":
            raise ValueError(f"{path.name}: {line!r} is not pinned with ==")
        pins[canonicalize_name(req.name)] = f"{req.name}=={spec.version}"
    return pins


def closure(roots: list[str]) -> set[str]:
    """Canonical names of the distributions that ``roots`` (requirement strings) need, roots included.

    Walks the metadata installed in this environment; markers are evaluated for this Python and
    platform, with the extras each requirement asks for.
    """
    env = default_environment()
    seen: dict[str, set[str]] = {}
    stack = [Requirement(r) for r in roots]
    while stack:
        req = stack.pop()
        name = canonicalize_name(req.name)
        extras = set(req.extras)
        if name in seen and extras <= seen[name]:
            continue
        seen[name] = seen.get(name, set()) | extras
        for text in metadata.requires(req.name) or []:
            dep = Requirement(text)
            if dep.marker is None or any(dep.marker.evaluate({**env, "extra": e}) for e in {"", *seen[name]}):
                stack.append(dep)
    return set(seen)


def pinned_requirements(roots: list[str], *, exclude: frozenset[str] = frozenset({"regbook"})) -> list[str]:
    """``Name==version`` lines for the closure of ``roots``, pinned as in ``requirements.txt``, sorted.

    The extras asked for by ``roots`` are kept on their line (``otter-grader[grading]==7.0.0``).
    Raises ``ValueError`` if a needed distribution is not pinned in ``requirements.txt``.
    """
    pins = repository_pins()
    extras = {canonicalize_name(Requirement(r).name): sorted(Requirement(r).extras) for r in roots}
    lines = []
    for name in sorted(closure(roots) - set(exclude)):
        if name not in pins:
            raise ValueError(f"{name} is needed but not pinned in requirements.txt")
        pin = pins[name]
        if extras.get(name):
            base, version = pin.split("==")
            pin = f"{base}[{','.join(extras[name])}]=={version}"
        lines.append(pin)
    return lines


#: What ``regbook`` itself needs at run time (its ``pyproject.toml`` dependencies, and itself).
REGBOOK_ROOTS = ["regbook"]
