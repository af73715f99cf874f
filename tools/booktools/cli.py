"""The ``book`` command: one subcommand per task of the Makefile (``book --help`` lists them).

Each subcommand imports its module only when it runs, so that ``book build`` with nothing to do
answers in a fraction of a second (jupyter-book, nbformat and the grading engine stay unimported).
Every subcommand returns its exit status: 0 for success.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .paths import ASSIGNMENTS_OUT, GRADES_OUT, ROOT, STUDENT_KIT_OUT


def _build(args) -> int:
    from . import build

    return build.build(args.output.resolve(), root=args.source.resolve(), skip_if_up_to_date=not args.no_skip,
                       jobs=args.jobs)


def _student(args) -> int:
    from . import student

    return student.build(args.output.resolve())


def _pdf(args) -> int:
    from . import pdf

    missing = pdf.missing_tex()
    if missing:
        print(pdf.tex_message(missing), file=sys.stderr)
        return 3
    output = args.output or ROOT / "_build" / ("student-pdf-build" if args.student else "pdf-build")
    return 0 if pdf.build(output.resolve(), student=args.student) else 1


def _refresh(args) -> int:
    from . import refresh

    return refresh.refresh_all(args.notebooks, timeout=args.timeout)


def _links(args) -> int:
    from . import links

    return links.check(args.html)


def _assignments(args) -> int:
    from . import assignments

    return assignments.generate_command(args.pattern, args.out)


def _grade(args) -> int:
    from . import assignments

    return assignments.grade_command(args)


def _student_kit(args) -> int:
    from . import student_kit

    if args.generate:
        from . import assignments

        status = assignments.generate_command("", args.assignments)
        if status:
            return status
    return student_kit.kit_command(args.out, args.assignments)


def _measure(args) -> int:
    from . import measure

    return measure.measure(args.runs, args.test_runs, args.touch)


def _measure_grading(args) -> int:
    from .grading import measure

    return measure.main(args.arguments)


def _logo(args) -> int:
    from . import logo

    logo.write(args.output)
    return 0


def _modules(args) -> int:
    from . import modules

    if args.write:
        modules.write()
        print(f"rewrote the module map in {modules.CONTRIBUTING}")
    else:
        print(modules.section())
    return 0


def _toc(args) -> int:
    from .paths import toc_files

    print("\n".join(toc_files(args.source)))
    return 0


def parser() -> argparse.ArgumentParser:
    """The command line of ``book`` (defaults are the repository's folders)."""
    from .build import DEFAULT_JOBS

    top = argparse.ArgumentParser(prog="book", description="Build, check, refresh and grade the book.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(handler=handler)
        return p

    p = command("build", _build, "build the HTML book into _build/html (make book); skipped when nothing changed")
    p.add_argument("--output", type=Path, default=ROOT, help="folder that receives _build/ (default: the repository)")
    p.add_argument("--source", type=Path, default=ROOT, help="the book's sources (default: the repository)")
    p.add_argument("--no-skip", action="store_true", help="run jupyter-book even when nothing changed")
    p.add_argument("--jobs", type=int, default=DEFAULT_JOBS,
                   help=f"notebooks executed at a time before jupyter-book renders (default {DEFAULT_JOBS}; "
                        "0: jupyter-book executes them one by one)")

    p = command("student", _student, "build the student edition (no solutions) into _build/student (make student-book)")
    p.add_argument("--output", type=Path, default=ROOT / "_build" / "student",
                   help="folder that receives _build/html (default: _build/student)")

    p = command("pdf", _pdf, "build one edition's PDF into _build/pdf (make pdf, make student-pdf)")
    p.add_argument("--student", action="store_true", help="the student edition (no solutions)")
    p.add_argument("--output", type=Path, default=None,
                   help="folder for the LaTeX build (default: _build/pdf-build or _build/student-pdf-build)")

    p = command("refresh", _refresh, "re-execute chapter notebooks in place (make refresh); "
                                     "exit status: the number that failed")
    p.add_argument("notebooks", nargs="*", type=Path, help="notebooks to refresh (default: all chapters)")
    p.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")

    p = command("links", _links, "check the links of the built HTML (make links); exit status: the number broken")
    p.add_argument("html", nargs="?", type=Path, default=ROOT / "_build" / "html", help="the built HTML folder")

    p = command("assignments", _assignments, "generate student notebooks and autograders (make assignments)")
    p.add_argument("pattern", nargs="?", default="", help="only masters whose name contains this")
    p.add_argument("--out", type=Path, default=ASSIGNMENTS_OUT, help="output folder (default: dist/assignments)")

    p = command("grade", _grade, "grade submitted notebooks, each in its own sandbox (make grade)")
    p.add_argument("assignment", help="assignment name, e.g. 01_overfitting")
    p.add_argument("submissions", type=Path,
                   help="a folder of notebooks (any names), of per-student subfolders, or a zip of either")
    p.add_argument("--out", type=Path, default=None,
                   help=f"folder for scores.csv, lms.csv and feedback/ (default: {GRADES_OUT}/<assignment>)")
    p.add_argument("--csv", type=Path, default=None, help="also write the scores CSV here")
    p.add_argument("--jobs", type=int, default=0, help="sandboxes at once (default: one per core)")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds per notebook (default 600)")
    p.add_argument("--cell-timeout", type=float, default=120.0, help="seconds per cell (default 120)")

    p = command("student-kit", _student_kit, "what students receive: dist/student-kit/ and its zip (make student-kit)")
    p.add_argument("--out", type=Path, default=STUDENT_KIT_OUT, help="kit folder (default dist/student-kit)")
    p.add_argument("--assignments", type=Path, default=ASSIGNMENTS_OUT,
                   help="where `book assignments` wrote the assignments (default dist/assignments)")
    p.add_argument("--generate", action="store_true", help="generate every assignment there first")

    p = command("measure", _measure, "measure build, test and chapter execution times (make measure)")
    p.add_argument("--runs", type=int, default=3, help="runs of each build figure (default 3)")
    p.add_argument("--test-runs", type=int, default=3, help="runs of the test command (default 3; 0 skips it)")
    p.add_argument("--touch", default=None, help="chapter to touch (default: the first chapter after the root)")

    p = command("measure-grading", _measure_grading, "measure grading times (see booktools/grading/measure.py)")
    p.add_argument("arguments", nargs=argparse.REMAINDER, help="its options (book measure-grading -- --help)")

    p = command("logo", _logo, "draw the logo and favicon into _static/")
    p.add_argument("--output", type=Path, default=ROOT / "_static", help="folder to write to (default: _static)")

    p = command("modules", _modules, "print the map of regbook's modules, generated from their docstrings "
                                     "(--write: into CONTRIBUTING.md)")
    p.add_argument("--write", action="store_true", help="rewrite the map in CONTRIBUTING.md")

    p = command("toc", _toc, "list the files of the table of contents (_toc.yml), in reading order")
    p.add_argument("--source", type=Path, default=ROOT, help="the book's sources (default: the repository)")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "measure" and (args.runs < 1 or args.test_runs < 0):
        print("book measure: --runs must be at least 1 and --test-runs at least 0", file=sys.stderr)
        return 2
    return args.handler(args)
