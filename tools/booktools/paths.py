"""Where things are: the repository root, the folders that are not book sources, the table of contents.

The one list of what is *not* a page of the book lives here. ``_config.yml``'s ``exclude_patterns``
must equal :func:`exclude_patterns` (``tests/unit/test_paths.py`` checks it), the book build ignores
:data:`GENERATED` when it looks for changed inputs, and the student edition copies nothing in
:func:`not_book_sources` into its staging folder.
"""

from __future__ import annotations

from pathlib import Path

#: The repository root (``tools/booktools/paths.py`` -> the folder holding ``_config.yml``).
ROOT = Path(__file__).resolve().parents[2]

#: Where ``book assignments`` writes, where ``book student-kit`` writes, where ``book grade`` writes by default
#: (outside the repository: grades never belong in it).
ASSIGNMENTS_OUT = ROOT / "dist" / "assignments"
STUDENT_KIT_OUT = ROOT / "dist" / "student-kit"
GRADES_OUT = Path.home() / "regbook-grades"

#: Generated folders, at any depth: outputs, environments and caches. Never an input of a build.
GENERATED = frozenset({"_build", ".venv", ".git", "__pycache__", ".ipynb_checkpoints", ".pytest_cache",
                       ".hypothesis", "dist", "node_modules"})
#: Top-level files and folders that are sources of the project but not of the book's pages: the package,
#: the tests, the tools, the assignments, the project's own set-up and documentation.
PROJECT_FILES = frozenset({"code", "tests", "tools", "benchmarks", "assignments", ".ci", "Makefile",
                           "requirements.txt", "requirements.in", "pytest.ini", "conftest.py", "README.md",
                           "CONTRIBUTING.md"})
#: Top-level folders the book's build needs (local Sphinx extensions, templates) that hold no page.
BUILD_SUPPORT = frozenset({"_ext", "_templates"})


def not_book_sources() -> frozenset[str]:
    """Top-level names never copied into the student edition's staging folder."""
    return GENERATED | PROJECT_FILES


def exclude_patterns() -> list[str]:
    """What ``_config.yml``'s ``exclude_patterns`` must hold: every top-level name that is not a page source."""
    top_level = (GENERATED - {"__pycache__", ".ipynb_checkpoints"}) | PROJECT_FILES | BUILD_SUPPORT
    return sorted(top_level) + ["**.ipynb_checkpoints"]


def toc_files(root: Path = ROOT) -> list[str]:
    """Every file listed in ``root/_toc.yml`` (without suffix), root first, in reading order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]]
    stack = list(toc.get("chapters", [])) + [e for p in toc.get("parts", []) for e in p.get("chapters", [])]
    while stack:
        entry = stack.pop(0)
        if "file" in entry:
            files.append(entry["file"])
        stack[:0] = entry.get("sections", [])
    return files


def book_notebooks(root: Path = ROOT) -> list[Path]:
    """The ``.ipynb`` files listed in ``root/_toc.yml``, in reading order (none without a table of contents)."""
    if not (root / "_toc.yml").is_file():
        return []
    return [root / f"{entry}.ipynb" for entry in toc_files(root) if (root / f"{entry}.ipynb").is_file()]


def chapter_notebooks(root: Path = ROOT) -> list[Path]:
    """Every notebook under ``root/chapters/`` (checkpoints excluded), sorted."""
    return sorted(p for p in (root / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def shown(path: Path, root: Path = ROOT) -> str:
    """``path`` relative to the repository when it lies inside it."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
