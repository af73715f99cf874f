"""Fresh virtual environments outside the repository, for the student kit and the Gradescope zip.

Installing ~140 pinned distributions with pip asks the index about each one in turn (seconds each
here, minutes in all). The tests instead fill a *wheelhouse* once -- ``pip wheel --no-deps`` of every
pinned line, a few in parallel, cached in pytest's cache folder so later runs reuse it -- and install
with ``--no-index --find-links``. That also proves the shipped requirements file is closed: with no
index, an unpinned dependency would make the install fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def pinned_lines(requirements: Path) -> list[str]:
    """The ``name==version`` lines of a requirements file (comments and local paths skipped)."""
    lines = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ".", "/", "-")):
            lines.append(line)
    return lines


def _have(wheelhouse: Path, line: str) -> bool:
    req = Requirement(line)
    (spec,) = req.specifier
    return any(canonicalize_name(p.name.split("-")[0]) == canonicalize_name(req.name) and p.name.split("-")[1] == spec.version
               for p in wheelhouse.glob("*.whl"))


def fill_wheelhouse(wheelhouse: Path, lines: list[str], *, workers: int = 8) -> None:
    """Make sure ``wheelhouse`` holds a wheel of every pinned line (built or downloaded by pip)."""
    wheelhouse.mkdir(parents=True, exist_ok=True)
    missing = [line for line in lines if not _have(wheelhouse, line)]

    def fetch(line: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
             "--wheel-dir", str(wheelhouse), line],
            capture_output=True, text=True,
        )

    with ThreadPoolExecutor(workers) as pool:
        failed = [(line, r.stderr[-500:]) for line, r in zip(missing, pool.map(fetch, missing)) if r.returncode]
    if failed:
        raise RuntimeError(f"pip could not fetch {failed}")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a process that must not see the project's virtual environment."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"} and not k.startswith("PYTEST")}
    project_bin = str(Path(sys.prefix) / "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != project_bin)
    env.update(extra)
    return env


def fresh_venv(path: Path) -> Path:
    """A new virtual environment at ``path`` from the base interpreter; returns its ``bin`` folder."""
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return path / "bin"


def install(bin_dir: Path, folder: Path, wheelhouse: Path) -> None:
    """``pip install -r requirements.txt`` run in ``folder`` (as its README says), from the wheelhouse only."""
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
         "--no-index", "--find-links", str(wheelhouse), "-r", "requirements.txt"],
        cwd=folder, check=True, env=clean_env(), capture_output=True, text=True,
    )
