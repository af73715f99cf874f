"""Find the submissions in what an instructor downloaded: a folder, per-student subfolders, zips.

Every file gets a row: a notebook (``.ipynb`` in any letter case) is graded, anything else gets an
error row. A file directly in the folder is its own student (the student id is the file name
without its extension); a file in a subfolder belongs to the student named by the top subfolder
(an LMS download: one folder per student). A ``.zip`` is unpacked safely (no absolute paths, no
``..``, no links, bounded size) and treated as a folder of the same name. Hidden files, macOS
metadata and ``.ipynb_checkpoints`` are skipped. The grade never depends on any of these names.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_UNZIPPED = 512 * 2**20
MAX_MEMBERS = 20_000
SKIP = {"__MACOSX", ".ipynb_checkpoints", "__pycache__"}


@dataclass(frozen=True)
class Submission:
    student: str
    name: str              # path shown in reports, relative to what was given
    path: Path | None      # the notebook to grade, or None
    error: str = ""        # why it is not graded


def unzip(archive: Path, target: Path) -> None:
    """Extract ``archive`` into ``target`` refusing anything that could escape it or blow up."""
    with zipfile.ZipFile(archive) as zf:
        members = zf.infolist()
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED:
            raise ValueError("zip too large")
        for member in members:
            parts = PurePosixPath(member.filename.replace("\\", "/")).parts
            if not parts or member.filename.startswith("/") or ".." in parts or ":" in parts[0]:
                raise ValueError(f"unsafe path in zip: {member.filename!r}")
            if stat.S_ISLNK(member.external_attr >> 16):
                continue
            destination = target.joinpath(*parts)
            if member.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as source, open(destination, "wb") as sink:
                sink.write(source.read(MAX_UNZIPPED))


def _skipped(path: Path) -> bool:
    return path.name.startswith(".") or path.name in SKIP


def collect(given: Path, scratch: Path) -> list[Submission]:
    """All submissions under ``given`` (a folder or a zip), sorted by student and name.

    ``scratch`` is an empty folder for unpacked zips; it must outlive the grading.
    """
    found: list[Submission] = []
    if given.is_file():
        if given.suffix.lower() != ".zip":
            raise ValueError(f"{given} is neither a folder nor a .zip")
        root = scratch / "_given"
        root.mkdir(parents=True)
        unzip(given, root)
        given = root
    if not given.is_dir():
        raise FileNotFoundError(given)
    counter = 0

    def walk(folder: Path, shown: PurePosixPath, student: str | None) -> None:
        nonlocal counter
        for path in sorted(folder.iterdir()):
            if _skipped(path) or path.is_symlink():
                continue
            label = shown / path.name
            owner = student or (path.name if path.is_dir() else path.stem)
            if path.is_dir():
                walk(path, label, owner)
            elif path.suffix.lower() == ".ipynb":
                found.append(Submission(owner, str(label), path))
            elif path.suffix.lower() == ".zip":
                counter += 1
                target = scratch / f"zip{counter}"
                target.mkdir(parents=True)
                try:
                    unzip(path, target)
                except (zipfile.BadZipFile, ValueError, OSError) as exc:
                    found.append(Submission(owner, str(label), None, f"unreadable zip: {exc}"[:200]))
                    continue
                walk(target, label, owner)
            else:
                found.append(Submission(owner, str(label), None, f"not a notebook ({path.suffix or 'no extension'})"))

    walk(given, PurePosixPath(), None)
    return sorted(found, key=lambda s: (s.student, s.name))
