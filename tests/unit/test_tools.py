"""Tests of the book's tools (booktools) that start no kernel: the book builder's fingerprint, the logo, links.

The tools that execute notebooks (refresh, the build's parallel execution) are tested in
``tests/book/test_notebook_execution.py``: each test starts kernels (seconds each).
"""

from __future__ import annotations

import shutil

import pytest

from booktools import build as build_book
from booktools import cli


def test_refresh_reports_a_missing_file(tmp_path):
    assert cli.main(["refresh", str(tmp_path / "missing.ipynb")]) == 1


@pytest.fixture
def fake_repo(tmp_path, root):
    repo = tmp_path / "repo"
    shutil.copytree(root / "code", repo / "code", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(root / "requirements.txt", repo / "requirements.txt")
    return repo


def test_fingerprint_changes_with_the_package_and_requirements(fake_repo):
    first = build_book.fingerprint(fake_repo)
    assert build_book.fingerprint(fake_repo) == first
    module = fake_repo / "code" / "regbook" / "_validation.py"
    module.write_text(module.read_text() + "\n# changed\n")
    second = build_book.fingerprint(fake_repo)
    assert second != first
    requirements = fake_repo / "requirements.txt"
    requirements.write_text(requirements.read_text() + "\n")
    assert build_book.fingerprint(fake_repo) != second


def test_a_build_is_up_to_date_until_an_input_changes(fake_repo, tmp_path):
    import os
    import time

    output = tmp_path / "out"
    (output / "_build" / "html").mkdir(parents=True)
    (output / "_build" / "html" / "index.html").write_text("")
    for ignored in ("_build/x.html", ".venv/lib.py", "code/regbook/__pycache__/m.pyc", ".git/index"):
        (fake_repo / ignored).parent.mkdir(parents=True, exist_ok=True)
    chapters = fake_repo / "chapters"
    chapters.mkdir()
    (chapters / "01.ipynb").write_text("{}")
    stamp = output / "_build" / build_book.FINGERPRINT_NAME
    stamp.write_text(build_book.fingerprint(fake_repo) + "\n")
    time.sleep(0.01)
    started = time.time_ns()  # the last build started after every file was written
    os.utime(stamp, ns=(started, started))
    time.sleep(0.01)
    assert build_book.up_to_date(output, root=fake_repo)
    for ignored in ("_build/x.html", ".venv/lib.py", "code/regbook/__pycache__/m.pyc", ".git/index"):
        (fake_repo / ignored).write_text("")
    assert build_book.up_to_date(output, root=fake_repo), "outputs and caches are not inputs"
    (chapters / "01.ipynb").write_text("{ }")
    assert not build_book.up_to_date(output, root=fake_repo), "a file changed after the build started"
    os.utime(stamp, ns=(time.time_ns(), time.time_ns()))
    time.sleep(0.01)
    assert build_book.up_to_date(output, root=fake_repo)
    (chapters / "01.ipynb").unlink()
    assert not build_book.up_to_date(output, root=fake_repo), "a file was removed after the build started"
    os.utime(stamp, ns=(time.time_ns(), time.time_ns()))
    assert build_book.up_to_date(output, root=fake_repo)
    (output / "_build" / "html" / "index.html").unlink()
    assert not build_book.up_to_date(output, root=fake_repo), "the HTML is gone"
    (output / "_build" / "html" / "index.html").write_text("")
    (fake_repo / "requirements.txt").write_text("changed\n")
    os.utime(stamp, ns=(time.time_ns() + 10**9,) * 2)
    assert not build_book.up_to_date(output, root=fake_repo), "another fingerprint"


def _other_editions(build_dir):
    """Outputs of other editions under ``_build/``: the student edition, its staging folder, a PDF."""
    files = [build_dir / "student" / "_build" / "html" / "index.html", build_dir / "student-src" / "intro.md",
             build_dir / "pdf" / "book.pdf"]
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("other edition")
    return files


@pytest.mark.parametrize("stamp_text", [None, "an older fingerprint\n"])
def test_a_build_never_deletes_another_editions_output(fake_repo, tmp_path, monkeypatch, capsys, stamp_text):
    """`make student-book` then `make book` on a fresh clone used to delete _build/student (issue 19)."""
    output = tmp_path / "out"
    build_dir = output / "_build"
    others = _other_editions(build_dir)
    own = [build_dir / "html" / "index.html", build_dir / ".jupyter_cache" / "global.db",
           build_dir / "jupyter_execute" / "ch.ipynb", build_dir / ".doctrees" / "ch.doctree"]
    if stamp_text is not None:  # a stale build of this edition: its own parts are discarded
        for path in own:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("stale")
        (build_dir / build_book.FINGERPRINT_NAME).write_text(stamp_text)
    seen = {}

    def fake_jupyter_book(command, **kwargs):
        seen["own parts left when jupyter-book starts"] = [p for p in own if p.exists()]
        return 1  # a failed build: writes no fingerprint

    monkeypatch.setattr("booktools.jupyterbook.subprocess.call", fake_jupyter_book)
    assert build_book.build(output, root=fake_repo) == 1
    assert all(path.read_text() == "other edition" for path in others)
    assert seen["own parts left when jupyter-book starts"] == []
    assert not (build_dir / build_book.FINGERPRINT_NAME).exists()
    printed = capsys.readouterr().out
    assert ("discarding" in printed) == (stamp_text is not None), printed


def test_fingerprint_notices_a_change_in_the_books_sphinx_extensions(fake_repo, root):
    first = build_book.fingerprint(fake_repo)
    (fake_repo / "_ext").mkdir()
    shutil.copy(root / "_ext" / "book_html_fixes.py", fake_repo / "_ext" / "book_html_fixes.py")
    second = build_book.fingerprint(fake_repo)
    assert second != first
    (fake_repo / "_ext" / "book_html_fixes.py").write_text("# changed\n")
    assert build_book.fingerprint(fake_repo) != second


def test_fingerprint_notices_a_new_module(fake_repo):
    first = build_book.fingerprint(fake_repo)
    (fake_repo / "code" / "regbook" / "new_module.py").write_text("")
    assert build_book.fingerprint(fake_repo) != first


def test_the_committed_logo_and_favicon_are_what_make_logo_draws(root):
    from booktools import logo as make_logo

    files = make_logo.render()
    assert set(files) == {"logo.svg", "favicon.png"}
    for name, data in files.items():
        assert (root / "_static" / name).read_bytes() == data, f"run `book logo` ({name} is stale)"
    level, touch = make_logo.tangent_level()
    assert abs(touch[0]) < 1e-9 and abs(touch[1] - 1) < 1e-9  # the loss contour touches the diamond at a corner
    assert level > 0


def test_check_links_finds_broken_links_and_anchors_and_lists_external_ones(tmp_path):
    from booktools import links as check_links

    (tmp_path / "sub").mkdir()
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "fragment.html").write_text('<a href="nowhere.html">template, not a page</a>')
    (tmp_path / "index.html").write_text(
        '<h1 id="top">Top</h1><a name="old"></a>'
        '<a href="sub/page.html#here">ok</a> <a href="#top">ok</a> <a href="#old">ok</a> <a href="#">ok</a>'
        '<a href="sub/page.html#gone">bad anchor</a> <a href="missing.html">bad file</a>'
        '<a href="../outside.html">outside</a> <img src="sub/pic%20one.png"> <a href="javascript:void(0)">js</a>'
        '<a href="https://doi.org/10.1/x">external</a> <link href="//cdn.example/x.css" rel="stylesheet">'
    )
    (tmp_path / "sub" / "page.html").write_text('<p id="here">Here</p><a href="../index.html#top">back</a>'
                                                '<a href="https://doi.org/10.1/x">again</a>')
    (tmp_path / "sub" / "pic one.png").write_bytes(b"")
    report = check_links.crawl(tmp_path)
    assert [p.as_posix() for p in report.pages] == ["index.html", "sub/page.html"]
    assert sorted((page, url) for page, url, _ in report.broken) == [
        ("index.html", "../outside.html"), ("index.html", "missing.html"), ("index.html", "sub/page.html#gone")]
    assert report.external == {"//cdn.example/x.css": ["index.html"],
                               "https://doi.org/10.1/x": ["index.html", "sub/page.html"]}
    assert report.checked == 9
    assert cli.main(["links", str(tmp_path)]) == 3


def test_duplicate_inline_scripts_are_dropped_in_order(root):
    import importlib.util
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("book_html_fixes", root / "_ext" / "book_html_fixes.py")
    book_html_fixes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(book_html_fixes)

    def script(filename, body, priority=500):
        return SimpleNamespace(filename=filename, priority=priority, attributes={"body": body} if body else {})

    scripts = [script("a.js", None), script(None, "const X = 1"), script("b.js", None), script("", "const X = 1"),
               script("a.js", None), script("", "const X = 1", priority=800)]
    context = {"script_files": scripts}
    book_html_fixes.drop_duplicate_scripts(None, "page", "page.html", context, None)
    assert context["script_files"] is scripts  # changed in place: other handlers hold the same list
    assert [(s.filename, s.priority) for s in scripts] == [("a.js", 500), (None, 500), ("b.js", 500), ("", 800)]
