"""The grading engine against adversarial submissions (issue 13): cheats, damage, hangs and crashes.

Every submission is built from the real notebooks of the smallest assignment (``01_overfitting``,
generated once here as ``make assignments`` does): its solution notebook and its untouched student
notebook, plus one cell of attack. The whole class is graded once, in parallel, through the same
command instructors run (``book grade``), with short time limits. Then

* each submission gets the score it should (the cheats 0, the damage-doers their own honest score);
* nothing outside a sandbox changed: every file of the class folder, the generated ``dist/`` and
  the assignment's master are byte-for-byte the same, the reports are the grader's, and no process
  a submission started is still alive, even a detached one, after grading;
* the CSV has one row per file with the right maximum, even with a hanging and a crashing notebook
  in the class.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import os
import time
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from booktools import assignments as tool
from booktools import cli
from booktools.grading import intake, sandbox, wire
from booktools.grading.spec import load
from conftest import ROOT

NAME = "01_overfitting"
FULL = 12.0
TOKEN = "regbook-adversarial-7f3c"  # marks every process a submission starts
pytestmark = pytest.mark.skipif(not sandbox.available() and not os.environ.get("CI"),
                                reason="bubblewrap (bwrap) is not installed; CI installs it")


def digest_tree(*folders: Path) -> dict[str, str]:
    out = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def with_cell(nb, source: str, *, at: int | None = None):
    """A copy of ``nb`` with a code cell of ``source`` inserted at ``at`` (default: the end)."""
    nb = copy.deepcopy(nb)
    cell = nbformat.v4.new_code_cell(source)
    nb.cells.insert(len(nb.cells) if at is None else at, cell)
    return nb


def replaced(nb, find: str, replace: str):
    nb = copy.deepcopy(nb)
    hits = [c for c in nb.cells if c.cell_type == "code" and find in c.source]
    assert len(hits) == 1, find
    hits[0].source = hits[0].source.replace(find, replace)
    return nb


CHEAT_REGBOOK_Q2 = """    from regbook.bias_variance import bias_variance_decomposition as _bvd
    _r = _bvd(lambda x, y, x_new: None, None, None, None)  # any call of it is the cheat
"""

CHEAT_REGBOOK_Q3 = '''
def cv_mse(x, y, degree, k):
    from regbook.model_selection import cross_validation_mse
    def fit(xf, yf):
        m = fit_least_squares(polynomial_features(xf, degree, include_bias=False), yf)
        class P:
            def predict(self, xn):
                return m.predict(polynomial_features(xn, degree, include_bias=False))
        return P()
    return float(cross_validation_mse(fit, x, y, n_splits=k).mean())
cv_best_degree = 1 + int(np.argmin([cv_mse(x_train, y_train, d, 5) for d in range(1, 9)]))
'''


CHEAT_EARLY = '''
from regbook.model_selection import cross_validation_mse as _cv
from regbook.features import polynomial_features as _pf
from regbook.linear import fit_least_squares as _fls
def _fit_d(d):
    def fit(xf, yf):
        m = _fls(_pf(xf, d, include_bias=False), yf)
        class P:
            def predict(self, xn):
                return m.predict(_pf(xn, d, include_bias=False))
        return P()
    return fit
cv_best_degree = 1 + int(np.argmin([_cv(_fit_d(d), x_train, y_train, n_splits=5).mean() for d in range(1, 9)]))
'''


def vandal(targets: list[str]) -> str:
    """Try to destroy every target and every path named in the grader's command lines, now and later."""
    return f'''
import glob, os, subprocess, sys
TARGETS = {targets!r}
for cmdline in glob.glob("/proc/*/cmdline"):
    try:
        TARGETS += [a for a in open(cmdline, "rb").read().decode(errors="ignore").split("\\0") if a.startswith("/")]
    except OSError:
        pass
def wreck():
    for t in TARGETS:
        try:
            if os.path.isdir(t):
                for f in glob.glob(os.path.join(t, "**", "*"), recursive=True):
                    try:
                        open(f, "w").write("student,total\\nvandal,999\\n")
                    except OSError:
                        pass
            else:
                open(t, "w").write("student,total\\nvandal,999\\n")
        except OSError:
            pass
wreck()
code = "import time,sys; time.sleep(4); exec(sys.argv[1])"
later = "TARGETS=" + repr(TARGETS) + chr(10) + "import os" + chr(10) + "for t in TARGETS:" + chr(10) + "  try: open(t, 'w').write('vandal,999')" + chr(10) + "  except OSError: pass"
subprocess.Popen([sys.executable, "-c", code, later, "{TOKEN}"], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", code, later, "{TOKEN}"])
    os._exit(0)
'''


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    tool.generate(ROOT / "assignments" / NAME / f"{NAME}.ipynb", out)
    return out


@pytest.fixture(scope="module")
def graded(dist, tmp_path_factory):
    """Build the adversarial class, grade it once in parallel, and return what the tests inspect."""
    base = tmp_path_factory.mktemp("class")
    subs, out = base / "submissions", base / "grades"
    subs.mkdir()
    solution = nbformat.read(dist / NAME / "autograder" / f"{NAME}.ipynb", as_version=4)
    student = nbformat.read(dist / NAME / "student" / f"{NAME}.ipynb", as_version=4)
    autograder_zip = dist / NAME / "autograder" / f"{NAME}-autograder.zip"
    setup_at = 3  # after the init cell, the title and the set-up cell

    no_metadata = copy.deepcopy(solution)
    no_metadata.metadata = {}
    for cell in no_metadata.cells:
        cell.metadata = {}
    cases = {  # file -> (notebook or raw bytes, expected total, expected per question or None)
        "solution.ipynb": (solution, FULL, None),
        "untouched.ipynb": (student, 0.0, None),
        "classmate.ipynb": (solution, FULL, None),
        "otter_patch.ipynb": (with_cell(student, 'import otter.test_files.ok_test as m\n'
                                        'm.run_doctest = lambda *a, **k: (True, "")', at=1), 0.0, None),
        "bool_override.ipynb": (with_cell(with_cell(student, "bool = lambda *a, **k: True\n"
                                                    "import builtins\nbuiltins.bool = bool", at=1),
                                          "bool = lambda *a, **k: True"), 0.0, None),
        "reads_tests.ipynb": (with_cell(student, 'import glob\nfor _f in glob.glob("tests/*.py") + glob.glob("../tests/*.py"):\n'
                                        '    exec(open(_f).read())', at=setup_at), 0.0, None),
        "calls_regbook.ipynb": (with_cell(replaced(solution, "    mean_prediction = predictions.mean(axis=0)\n",
                                                   CHEAT_REGBOOK_Q2 + "    mean_prediction = predictions.mean(axis=0)\n"),
                                          CHEAT_REGBOOK_Q3), 4.0, {"q1": 4.0, "q2": 0.0, "q3": 0.0}),
        # the same cheat for a value answer, moved before the questions so no question's cell runs it
        "calls_regbook_early.ipynb": (with_cell(replaced(solution, "cv_best_degree = 1 +", "_unused = 1 +"),
                                                CHEAT_EARLY, at=setup_at), 8.0, {"q1": 4.0, "q2": 4.0, "q3": 0.0}),
        "vandal.ipynb": (with_cell(solution, vandal([str(subs / "classmate.ipynb"), str(out / "scores.csv"),
                                                     str(out / "lms.csv"), str(out), str(subs)])), FULL, None),
        "tamper_zip.ipynb": (with_cell(solution, vandal([str(autograder_zip), str(dist), str(ROOT / "assignments")])),
                             FULL, None),
        "hang_one_cell.ipynb": (with_cell(solution, "while True:\n    pass", at=setup_at), FULL, None),
        "hang_ignoring_alarm.ipynb": (with_cell(solution, "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                                                "while True:\n    pass", at=setup_at), 0.0, None),
        "dies.ipynb": (with_cell(solution, "import os\nos._exit(1)"), 0.0, None),
        "no_metadata.ipynb": (no_metadata, FULL, None),
        "jdoe_01_overfitting.ipynb": (solution, FULL, None),
        "SHOUTING.IPYNB": (solution, FULL, None),
        "Doe, Jane_1234_assignsubmission_file_/my work (final).ipynb": (solution, FULL, None),
        "not_json.ipynb": (b"this is not a notebook", 0.0, None),
        "notes.txt": (b"a file that is not a notebook", 0.0, None),
    }
    for name, (content, _, _) in cases.items():
        path = subs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            nbformat.write(content, path)
    with zipfile.ZipFile(subs / "zipped.zip", "w") as zf:
        zf.writestr("inside/whatever_name.ipynb", nbformat.writes(solution))
    cases["zipped.zip/inside/whatever_name.ipynb"] = (None, FULL, None)

    watched = [subs, dist, ROOT / "assignments" / NAME]
    before = digest_tree(*watched)
    start = time.monotonic()
    status = cli.main(["grade", NAME, str(subs), "--out", str(out), "--jobs", "2",
                        "--timeout", "25", "--cell-timeout", "4"])
    seconds = time.monotonic() - start
    reports = digest_tree(out)
    time.sleep(6)  # the detached processes would strike 4 s after they start
    return {"status": status, "cases": cases, "out": out, "subs": subs, "before": before,
            "after": digest_tree(*watched), "reports": reports, "reports_later": digest_tree(out),
            "seconds": seconds}


def rows(graded) -> dict[str, dict]:
    with open(graded["out"] / "scores.csv", newline="", encoding="utf-8") as handle:
        return {row["submission"]: row for row in csv.DictReader(handle)}


def test_every_file_gets_a_row_with_the_right_maximum(graded):
    assert graded["status"] == 0
    table = rows(graded)
    assert set(table) == set(graded["cases"])
    assert all(float(row["max"]) == FULL for row in table.values())
    assert table["notes.txt"]["error"].startswith("not a notebook")
    assert table["not_json.ipynb"]["error"].startswith("not a readable notebook")


@pytest.mark.parametrize("case", [
    "solution.ipynb", "untouched.ipynb", "classmate.ipynb", "otter_patch.ipynb", "bool_override.ipynb",
    "reads_tests.ipynb", "calls_regbook.ipynb", "calls_regbook_early.ipynb", "vandal.ipynb", "tamper_zip.ipynb", "hang_one_cell.ipynb",
    "hang_ignoring_alarm.ipynb", "dies.ipynb", "no_metadata.ipynb", "jdoe_01_overfitting.ipynb",
    "SHOUTING.IPYNB", "Doe, Jane_1234_assignsubmission_file_/my work (final).ipynb",
    "zipped.zip/inside/whatever_name.ipynb",
])
def test_each_submission_gets_the_score_it_should(graded, case):
    row = rows(graded)[case]
    _, total, per_question = graded["cases"][case]
    assert float(row["total"]) == total, row
    for question, points in (per_question or {}).items():
        assert float(row[question]) == points, row


def test_hangs_and_crashes_are_reported_not_fatal(graded):
    table = rows(graded)
    assert "time limit" in table["hang_ignoring_alarm.ipynb"]["error"]
    assert "exited" in table["dies.ipynb"]["error"]
    assert table["hang_one_cell.ipynb"]["error"] == ""  # one cell stopped, the others graded
    feedback = (graded["out"] / "feedback" / "hang_one_cell.md").read_text()
    assert "time limit per cell" in feedback


def test_nothing_outside_a_sandbox_changed(graded):
    assert graded["after"] == graded["before"], "a submission changed a file outside its sandbox"
    assert graded["reports_later"] == graded["reports"], "something rewrote the reports after grading"
    assert "999" not in (graded["out"] / "scores.csv").read_text()
    survivors = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if TOKEN.encode() in cmdline.read_bytes():
                survivors.append(cmdline.parent.name)
        except OSError:
            pass
    assert not survivors, f"processes started by a submission outlived grading: {survivors}"


def test_reports_lms_csv_and_feedback(graded):
    out = graded["out"]
    lms = list(csv.reader((out / "lms.csv").open(encoding="utf-8")))
    assert lms[0] == ["student_id", "score"]
    scores = dict(lms[1:])
    assert scores["Doe, Jane_1234_assignsubmission_file_"] == "12" and scores["untouched"] == "0"
    assert scores["zipped"] == "12"
    text = (out / "feedback" / "calls_regbook.md").read_text()
    assert "Score: 4 / 12" in text and "which this question asks you to implement" in text
    assert "regbook.model_selection.cross_validation_mse" in text
    untouched = (out / "feedback" / "untouched.md").read_text()
    assert "nested models: training error never rises" in untouched  # a public test's message
    assert "_reference" not in untouched  # hidden tests are named, never shown


def test_grading_time(graded, capsys):
    with capsys.disabled():
        n = len(graded["cases"])
        print(f"\n[grading] {n} files of {NAME} on 2 sandboxes in {graded['seconds']:.1f} s "
              f"(one waits out the 25 s notebook limit)")


def test_the_sandbox_sees_nothing_of_the_grader(dist, tmp_path):
    """A probe notebook inside the sandbox: what it can see, reach and change."""
    secret = tmp_path / "elsewhere" / "scores.csv"
    secret.parent.mkdir()
    secret.write_text("student,total\n")
    probe = {
        "repo": [str(ROOT / "assignments"), str(ROOT / "tests"), str(ROOT / "dist"), str(ROOT / "chapters"),
                 str(dist), str(secret), str(ROOT / "tools" / "booktools" / "grading" / "checker.py")],
    }
    prefix = str(Path(os.sys.prefix))
    code = f'''
import os, socket, glob
PATHS = {probe["repo"]!r}
visible = [p for p in PATHS if os.path.exists(p)]
try:
    socket.create_connection(("pypi.org", 443), timeout=3)
    network = "reachable"
except OSError as exc:
    network = "unreachable"
pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
writable = []
for target in ["/usr/x", {str(ROOT / "code" / "regbook" / "x.py")!r}, {prefix!r} + "/x", "/etc/x", "/x"]:
    try:
        open(target, "w").write("x")
        writable.append(target)
    except OSError:
        pass
hits = []
for folder in ["/home", "/tmp", {str(ROOT / "code")!r}, "/opt"]:
    for f in glob.glob(folder + "/**/*", recursive=True):
        try:
            text = open(f, errors="ignore").read()
        except OSError:
            continue
        if any(("BEGIN TEST" + " CONFIG", "_refer" + "ence(", "hidden:" + " true")[i] in text for i in range(3)):
            hits.append(f)
uid = os.getuid()
'''
    home = tmp_path / "home"
    home.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]), home / "probe.ipynb")
    with sandbox.Session(home, "probe.ipynb", {"cell_timeout": 60}, sandbox.Limits(notebook=90)) as session:
        assert session.recv()["errors"] == []
        values = session.request({"op": "get", "names": ["visible", "network", "pids", "writable", "hits", "uid"]})["values"]
    got = {k: wire.decode(v) for k, v in values.items()}
    assert got["visible"] == [], "the sandbox sees the repository, dist/, the grader or the reports"
    assert got["network"] == "unreachable"
    assert got["writable"] == []
    assert got["hits"] == [], "hidden tests are readable inside the sandbox"
    assert got["uid"] != 0
    assert len(got["pids"]) <= 3, f"the sandbox sees processes beyond its own: {got['pids']}"


def test_spec_reads_answers_and_tests_from_the_master():
    spec = load(ROOT / "assignments" / NAME / f"{NAME}.ipynb")
    answers = {q.name: q.answers for q in spec.questions}
    assert answers == {"q1": ["best_degree", "train_mse", "val_mse"], "q2": ["bias2_and_variance"],
                       "q3": ["cv_best_degree", "cv_mse"]}
    assert spec.possible == {"q1": 4.0, "q2": 4.0, "q3": 4.0}
    assert sum(t.hidden for q in spec.questions for t in q.tests) == 5


def test_intake_reads_every_layout_an_lms_gives(tmp_path):
    folder = tmp_path / "download"
    (folder / "Ann Lee_42_assignsubmission_file_" / "sub").mkdir(parents=True)
    (folder / "Ann Lee_42_assignsubmission_file_" / "sub" / "HW1.IPYNB").write_text("{}")
    (folder / "bob_7_01.ipynb").write_text("{}")
    (folder / ".DS_Store").write_text("x")
    (folder / "__MACOSX").mkdir()
    (folder / "__MACOSX" / "._bob.ipynb").write_text("x")
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "bob-checkpoint.ipynb").write_text("{}")
    with zipfile.ZipFile(folder / "carol.zip", "w") as zf:
        zf.writestr("work/a.ipynb", "{}")
    (folder / "readme.pdf").write_text("x")
    found = intake.collect(folder, tmp_path / "scratch")
    assert [(s.student, s.name, s.path is not None) for s in found] == [
        ("Ann Lee_42_assignsubmission_file_", "Ann Lee_42_assignsubmission_file_/sub/HW1.IPYNB", True),
        ("bob_7_01", "bob_7_01.ipynb", True),
        ("carol", "carol.zip/work/a.ipynb", True),
        ("readme", "readme.pdf", False),
    ]
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("dave/x.ipynb", "{}")
    assert [(s.student, s.name) for s in intake.collect(archive, tmp_path / "scratch2")] == [("dave", "dave/x.ipynb")]


def test_intake_refuses_zips_that_escape(tmp_path):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../../escaped.ipynb", "{}")
    with pytest.raises(ValueError, match="unsafe path"):
        intake.unzip(bad, tmp_path / "out")
    assert not (tmp_path.parent / "escaped.ipynb").exists()
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "evil.zip").write_bytes(bad.read_bytes())
    found = intake.collect(subs, tmp_path / "scratch")
    assert [(s.student, s.path, s.error.split(":")[0]) for s in found] == [("evil", None, "unreadable zip")]


plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@given(plain)
def test_wire_round_trips_plain_data(value):
    back = wire.loads(wire.dumps(value))
    assert json.dumps(wire.encode(back), sort_keys=True) == json.dumps(wire.encode(value), sort_keys=True)
    assert type(back) is type(value)


@given(st.sampled_from(["<f8", "<i8", "|b1", "<u2", "<f4"]), st.lists(st.integers(0, 4), max_size=3))
def test_wire_round_trips_arrays_exactly(dtype, shape):
    rng = np.random.default_rng(0)
    array = (rng.normal(size=shape) * 100).astype(dtype)
    back = wire.loads(wire.dumps(array))
    assert back.dtype == array.dtype and back.shape == array.shape and np.array_equal(back, array)
    scalar = wire.loads(wire.dumps(np.float64(0.1)))
    assert type(scalar) is np.float64 and scalar == 0.1


@pytest.mark.parametrize("message", [
    {"$t": "ndarray", "dtype": "|O", "shape": [1], "v": [1]},             # object arrays could run code
    {"$t": "ndarray", "dtype": "<f8", "shape": [3], "v": [1.0]},          # data and shape disagree
    {"$t": "ndarray", "dtype": "<f8", "shape": [10**9, 10**9], "v": []},  # a huge shape
    {"$t": "npscalar", "dtype": "V8", "v": 1},
    {"$t": "pickle", "v": "gASVAAAAAAAAAAAu"},
    {"$t": "function"},
    {"$t": "float", "v": "__import__('os')"},
])
def test_wire_refuses_anything_but_plain_data(message):
    with pytest.raises(wire.WireError):
        wire.decode(message)
