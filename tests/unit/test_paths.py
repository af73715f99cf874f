"""The repository's layout as the tools see it (booktools.paths) and the rules that keep it importable."""

from __future__ import annotations

import subprocess
import sys

import yaml

from booktools import paths
from conftest import ROOT


def test_the_config_excludes_exactly_the_one_list_of_non_sources():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    listed = config["exclude_patterns"]
    assert len(listed) == len(set(listed)), "a name is listed twice in _config.yml's exclude_patterns"
    assert set(listed) == set(paths.exclude_patterns()), (
        "_config.yml's exclude_patterns and tools/booktools/paths.py disagree "
        f"(only in _config.yml: {sorted(set(listed) - set(paths.exclude_patterns()))}; "
        f"only in paths.py: {sorted(set(paths.exclude_patterns()) - set(listed))})"
    )


def test_every_top_level_entry_is_a_book_source_or_listed_as_not_one():
    """A new top-level file or folder must be placed: a page source (in _toc.yml or a support file of the
    build), or in one of the lists of paths.py. Otherwise the student edition would copy it unseen."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    top = {name.split("/", 1)[0] for name in tracked}
    pages = {entry.split("/", 1)[0] for entry in paths.toc_files(ROOT)}
    book = {"_config.yml", "_toc.yml", "_static", "references.bib", ".gitignore"}
    placed = pages | book | paths.not_book_sources() | paths.BUILD_SUPPORT
    unplaced = {name for name in top if name not in placed and name.rsplit(".", 1)[0] not in pages}
    assert not unplaced, f"top-level entries that are neither book sources nor listed in booktools.paths: {unplaced}"


def test_the_lists_do_not_overlap_and_root_is_the_repository():
    assert not paths.GENERATED & paths.PROJECT_FILES
    assert not (paths.GENERATED | paths.PROJECT_FILES) & paths.BUILD_SUPPORT
    assert (paths.ROOT / "_config.yml").is_file() and paths.ROOT == ROOT


def test_no_python_file_edits_sys_path():
    """Packages are installed (regbook, booktools) and test helpers come from pytest.ini's pythonpath."""
    tracked = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    offenders = [name for name in tracked if (ROOT / name).is_file()
                 and any(f"sys.path.{verb}(" in (ROOT / name).read_text(encoding="utf-8") for verb in ("insert", "append"))]
    assert not offenders, f"sys.path edited in {offenders}: install the package or use pytest.ini's pythonpath"


def test_the_book_command_imports_nothing_heavy_before_a_subcommand_needs_it():
    """A no-change `book build` must answer fast: the CLI and the build module import no notebook,
    numerical or jupyter-book machinery (they are imported inside the subcommands that use them)."""
    heavy = ["numpy", "nbformat", "nbclient", "jupyter_book", "jupyter_cache", "yaml", "sphinx", "otter",
             "matplotlib", "regbook"]
    code = ("import sys; import booktools.cli, booktools.build; booktools.cli.parser(); "
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", f"imported by `book` before any subcommand runs: {done.stdout}"


def test_every_tool_module_is_reachable_from_the_book_command():
    """Each module of booktools is a subcommand or used by one: none is a stray script."""
    from booktools import cli

    commands = set(cli.parser()._subparsers._group_actions[0].choices)
    assert {"build", "student", "pdf", "refresh", "links", "assignments", "grade", "student-kit", "measure",
            "measure-grading", "logo", "modules", "toc"} <= commands
    source = (ROOT / "tools" / "booktools" / "cli.py").read_text()
    modules = {p.stem for p in (ROOT / "tools" / "booktools").glob("*.py")} - {"__init__", "__main__", "cli"}
    used = {name for name in modules if f"from . import {name}" in source or f"from .{name} import" in source
            or f"from . import {name} " in source}
    helpers = {"paths", "kernel", "jupyterbook", "kit_env", "gradescope"}  # used by the subcommands' modules
    assert modules - used - helpers == set(), f"booktools modules no subcommand reaches: {modules - used - helpers}"
