"""The graded assignments: the autograder grades right, and nothing a student gets leaks a solution.

For every master notebook under ``assignments/``, the assignments are generated once (as
``make assignments`` does) into a temporary folder, then

* the solution notebook scores full marks, question by question;
* the untouched student notebook scores 0 and grading does not crash (grading runs each notebook
  in a sandbox: ``tests/book/test_grading.py`` tests the engine against adversarial submissions);
* a notebook with one deliberately wrong answer (``wrong_answers.yml`` beside the master) loses
  exactly that question's points;
* no solution line, no hidden test and no solution-only identifier appears in anything a
  student is given.
"""

from __future__ import annotations

import io
import json
import keyword
import re
import tokenize
from pathlib import Path

import nbformat
import pytest
import yaml

from booktools import assignments as tool
from conftest import ROOT

MASTERS = tool.masters()
SOLUTION_MARK = re.compile(r"\s*#\s*SOLUTION\s*$")


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    for master in MASTERS:
        tool.generate(master, out)
    return out


def parse_master(master: Path) -> dict:
    """Split a master notebook into solution code, hidden tests, public tests and everything else."""
    nb = nbformat.read(master, as_version=4)
    parts = {"solution": [], "hidden": [], "public": [], "other": [], "questions": {}}
    block, question = None, None
    for cell in nb.cells:
        first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "raw":
            match = re.match(r"#\s*(BEGIN|END)\s+(QUESTION|SOLUTION|TESTS)", first, re.I)
            if match:
                begin, kind = match.group(1).upper() == "BEGIN", match.group(2).upper()
                if kind == "QUESTION":
                    question = yaml.safe_load(cell.source.split("\n", 1)[1])["name"] if begin else None
                    if begin:
                        parts["questions"][question] = {"hidden": 0, "public": 0}
                else:
                    block = kind if begin else None
            continue
        if cell.cell_type != "code":
            parts["other"].append(cell.source)
            continue
        if block == "TESTS":
            config = yaml.safe_load(re.search(r'"""\s*#\s*BEGIN TEST CONFIG\n(.*?)"""', cell.source, re.S).group(1))
            body = cell.source.split("# END TEST CONFIG", 1)[1]
            kind = "hidden" if config.get("hidden") else "public"
            parts[kind].append(body)
            parts["questions"][question][kind] += 1
            continue
        in_solution = False
        for line in cell.source.splitlines():
            if re.match(r"\s*# BEGIN SOLUTION", line):
                in_solution = True
            elif re.match(r"\s*# END SOLUTION", line):
                in_solution = False
            elif in_solution:
                parts["solution"].append(line)
            elif SOLUTION_MARK.search(line):
                parts["solution"].append(SOLUTION_MARK.sub("", line))
            else:
                parts["other"].append(line)
    return parts


def identifiers(code: str) -> set[str]:
    names = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.NAME and not keyword.iskeyword(token.string):
                names.add(token.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        names |= set(re.findall(r"[A-Za-z_]\w*", code))
    return names


def meaningful(lines: list[str]) -> list[str]:
    """Lines worth searching for: long enough not to occur by chance."""
    return [line.strip() for line in lines if len(line.strip()) >= 20 and not line.strip().startswith("#")]


def student_files(dist: Path, name: str) -> list[Path]:
    return [p for p in (dist / name / "student").rglob("*") if p.is_file()]


def grade(path: Path, dist: Path, name: str) -> tool.Grade:
    """Grade ``path`` as ``make grade`` does (a sandbox; the tests from the master, not from ``dist``)."""
    return tool.grade_one(path, name)


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_master_is_well_formed(master):
    parts = parse_master(master)
    assert len(parts["questions"]) >= 3, "at least three graded questions"
    for question, counts in parts["questions"].items():
        assert counts["public"] >= 1 and counts["hidden"] >= 1, f"{question} mixes public and hidden tests"
    for body in parts["public"] + parts["hidden"]:
        last = [line for line in body.strip().splitlines() if line.strip()][-1]
        assert last.startswith("bool("), f"a test must end in bool(...) (NumPy 2 prints np.True_): {last}"
    nb = nbformat.read(master, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert any("regbook" in c.source for c in nb.cells if c.cell_type == "code"), "assignments use regbook"
    assert (master.parent / "wrong_answers.yml").is_file()


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_solution_scores_full_marks(master, dist):
    name = master.stem
    result = grade(dist / name / "autograder" / f"{name}.ipynb", dist, name)
    assert not result.error and result.maximum > 0
    assert result.questions == result.possible, result


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_untouched_student_notebook_scores_zero(master, dist):
    name = master.stem
    result = grade(dist / name / "student" / f"{name}.ipynb", dist, name)
    assert not result.error
    assert result.maximum > 0 and result.total == 0, result


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_one_wrong_answer_loses_exactly_that_question(master, dist, tmp_path):
    name = master.stem
    wrong = yaml.safe_load((master.parent / "wrong_answers.yml").read_text())
    nb = nbformat.read(dist / name / "autograder" / f"{name}.ipynb", as_version=4)
    hits = [c for c in nb.cells if c.cell_type == "code" and wrong["find"] in c.source]
    assert len(hits) == 1, "the wrong answer's `find` text must occur in exactly one cell"
    hits[0].source = hits[0].source.replace(wrong["find"], wrong["replace"])
    submission = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, submission)
    result = grade(submission, dist, name)
    assert not result.error
    for question, possible in result.possible.items():
        expected = wrong["score"] if question == wrong["question"] else possible
        assert result.questions[question] == expected, (question, result)
    assert result.possible[wrong["question"]] > wrong["score"]


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_nothing_a_student_gets_leaks_solutions_or_hidden_tests(master, dist):
    name = master.stem
    parts = parse_master(master)
    files = student_files(dist, name)
    assert [p.name for p in files] == [f"{name}.ipynb"], "students get the notebook and nothing else"
    student_code = json_strings(files[0])
    for line in meaningful(parts["solution"]):
        assert line not in student_code, f"solution line in the student notebook: {line}"
    public = {ln.strip() for body in parts["public"] for ln in body.splitlines()} | {ln.strip() for ln in parts["other"]}
    for line in meaningful([ln for body in parts["hidden"] for ln in body.splitlines()]):
        if line not in public:  # a line that a public test shares is not secret
            assert line not in student_code, f"hidden test in the student notebook: {line}"
    visible = identifiers("\n".join(parts["other"] + parts["public"]))
    visible |= set(re.findall(r"[A-Za-z_]\w*", "\n".join(parts["other"])))  # names in the prose
    solution_only = identifiers("\n".join(parts["solution"])) - visible
    assert solution_only, "the detector must have something to look for"
    for name_ in solution_only:
        assert not re.search(rf"\b{re.escape(name_)}\b", student_code), f"solution-only name {name_!r}"
    # the detector itself works: the solution notebook does contain the solution
    solution_nb = json_strings(dist / name / "autograder" / f"{name}.ipynb")
    assert all(line in solution_nb for line in meaningful(parts["solution"]))


def json_strings(path: Path) -> str:
    """Every string in a notebook file (sources, outputs, metadata such as otter's public tests), joined."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                found.append(str(key))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(path.read_text(encoding="utf-8")))
    return "\n".join(found)


def test_grading_a_folder_writes_one_csv_row_per_file(dist, tmp_path):
    name = MASTERS[0].stem
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "a_blank.ipynb").write_bytes((dist / name / "student" / f"{name}.ipynb").read_bytes())
    (subs / "b_broken.ipynb").write_text("this is not a notebook")
    (subs / "notes.txt").write_text("not a notebook either")
    grades = tool.grade_folder(subs, name)
    out = tmp_path / "scores.csv"
    tool.write_csv(grades, out, name)
    rows = out.read_text().splitlines()
    assert rows[0].split(",")[:2] == ["student", "submission"]
    assert rows[0].split(",")[-4:] == ["total", "max", "status", "error"]
    assert [r.split(",")[1] for r in rows[1:]] == ["a_blank.ipynb", "b_broken.ipynb", "notes.txt"]
    assert grades[0].total == 0 and not grades[0].error
    assert grades[1].error.startswith("not a readable notebook")
    assert grades[2].error.startswith("not a notebook")
    assert all(g.maximum == grades[0].maximum > 0 for g in grades), "error rows carry the real maximum"


def test_every_assignment_is_described_in_the_instructor_guide():
    guide = (ROOT / "instructors.md").read_text(encoding="utf-8")
    for master in MASTERS:
        assert f"`{master.stem}`" in guide, master.stem
