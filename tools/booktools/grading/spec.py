"""What an assignment grades, read from its master notebook: questions, tests, answers, setup.

The master (``assignments/<name>/<name>.ipynb``, otter-grader's format) is the single source: its
test cells become the checks, the names its solution cells bind (and its tests use) become the
answers fetched from a submission, and its cells outside any question become the *setup* the
checks run against. ``assignments/<name>/grading.yml`` may list, per question, the ``regbook``
functions or classes that the question asks students to implement (``forbid``).

Checks never see a submission's setup: a student who changes ``x_train`` changes only their own
answers, which are compared with values computed from the master's setup.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import symtable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

MARKER = re.compile(r"#\s*(BEGIN|END)\s+(QUESTION|SOLUTION|TESTS)\b", re.I)
CONFIG = re.compile(r'"""\s*#\s*BEGIN TEST CONFIG\n(.*?)"""\s*#\s*END TEST CONFIG\n?', re.S)


@dataclass(frozen=True)
class Test:
    question: str
    number: int           # 1, 2, ... within its question
    code: str
    points: float
    hidden: bool

    @property
    def message(self) -> str:
        """The comment ending a public test's last line: what it checks, in words."""
        last = [ln for ln in self.code.strip().splitlines() if ln.strip()][-1]
        return last.split("#", 1)[1].strip() if "#" in last and not self.hidden else ""


@dataclass
class Question:
    name: str
    tests: list[Test] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    forbid: list[str] = field(default_factory=list)

    @property
    def points(self) -> float:
        return float(sum(t.points for t in self.tests))


@dataclass
class Spec:
    name: str
    master: Path
    setup: list[str]
    questions: list[Question]
    allow: list[tuple[str, str | None]] = field(default_factory=list)  # see engine.record_allowed

    @property
    def owner(self) -> dict[str, str]:
        """Answer name -> the question that asks for it."""
        return {a: q.name for q in self.questions for a in q.answers}

    @property
    def possible(self) -> dict[str, float]:
        return {q.name: q.points for q in self.questions}

    @property
    def forbid(self) -> dict[str, list[str]]:
        return {q.name: q.forbid for q in self.questions if q.forbid}


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def bound_names(code: str) -> set[str]:
    """Names a cell binds at top level (assignments, loops, defs, classes, imports)."""
    names: set[str] = set()
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return names
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        else:
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    names.add(sub.id)
    return names


def used_names(code: str) -> set[str]:
    """Global names a test reads without binding them: what it needs from the answers or the setup."""
    found: set[str] = set()

    def visit(table: symtable.SymbolTable) -> None:
        for sym in table.get_symbols():
            if not sym.is_referenced():
                continue
            if table.get_type() == "module" and not sym.is_assigned() and not sym.is_imported():
                found.add(sym.get_name())
            elif table.get_type() != "module" and sym.is_global():
                found.add(sym.get_name())
        for child in table.get_children():
            visit(child)

    visit(symtable.symtable(code, "<test>", "exec"))
    return found


def load(master: Path) -> Spec:
    """Parse ``master`` (and its ``grading.yml``) into a :class:`Spec`."""
    nb = json.loads(master.read_text(encoding="utf-8"))
    setup, questions = [], []
    question, block, solution_names = None, None, {}
    for cell in nb["cells"]:
        source = _source(cell)
        first = source.lstrip().splitlines()[0] if source.strip() else ""
        if cell["cell_type"] == "raw":
            match = MARKER.match(first)
            if match:
                begin, kind = match.group(1).upper() == "BEGIN", match.group(2).upper()
                if kind == "QUESTION":
                    question = Question(yaml.safe_load(source.split("\n", 1)[1])["name"]) if begin else None
                    if question is not None:
                        questions.append(question)
                        solution_names[question.name] = set()
                else:
                    block = kind if begin else None
            continue
        if cell["cell_type"] != "code":
            continue
        if question is None:
            setup.append(source)
        elif block == "TESTS":
            config = yaml.safe_load(CONFIG.search(source).group(1))
            code = CONFIG.sub("", source, count=1).strip() + "\n"
            question.tests.append(Test(question.name, len(question.tests) + 1, code,
                                       float(config.get("points", 1)), bool(config.get("hidden", False))))
        else:
            solution_names[question.name] |= bound_names(source)
    used = set().union(*(used_names(t.code) for q in questions for t in q.tests))
    for q in questions:
        q.answers = sorted(solution_names[q.name] & used)
    extra = master.parent / "grading.yml"
    if extra.is_file():
        forbid = (yaml.safe_load(extra.read_text(encoding="utf-8")) or {}).get("forbid", {}) or {}
        by_name = {q.name: q for q in questions}
        for name, items in forbid.items():
            by_name[name].forbid = list(items)
    return Spec(master.stem, master, setup, questions)


def solution_notebook(spec: Spec) -> dict:
    """The master as a notebook without its test cells: what a perfect student would submit."""
    nb = json.loads(spec.master.read_text(encoding="utf-8"))
    cells, in_tests = [], False
    for cell in nb["cells"]:
        if cell["cell_type"] == "raw":
            match = MARKER.match(_source(cell).lstrip())
            if match and match.group(2).upper() == "TESTS":
                in_tests = match.group(1).upper() == "BEGIN"
            continue
        if not in_tests:
            cells.append(cell)
    nb["cells"] = cells
    return nb


def reference_namespace(spec: Spec) -> dict:
    """Run the master's setup cells (trusted instructor code) and return their namespace."""
    namespace: dict = {"__name__": "__grading_reference__"}
    here = os.getcwd()
    sink = io.StringIO()
    try:
        os.chdir(spec.master.parent)
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            for code in spec.setup:
                exec(compile(code, f"<{spec.name} setup>", "exec"), namespace)  # noqa: S102 (instructor code)
    finally:
        os.chdir(here)
    return namespace
