"""Tests of the maintenance tools: the notebook refresher and the book builder's fingerprint."""

from __future__ import annotations

import shutil

import nbformat
import pytest

import build_book
import refresh_notebooks


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    nbformat.write(nb, path)
    return path


def test_refresh_executes_and_numbers_cells(tmp_path):
    path = _notebook(tmp_path / "ok.ipynb", "x = 6 * 7", "print(x)", "x + 1")
    assert refresh_notebooks.main([str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    assert [c.execution_count for c in nb.cells] == [1, 2, 3]
    assert nb.cells[1].outputs[0]["text"] == "42\n"
    assert nb.cells[2].outputs[0]["data"]["text/plain"] == "43"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert all("execution" not in c.metadata for c in nb.cells)


def test_refresh_joins_pieces_of_one_stream_but_keeps_the_order_of_outputs(tmp_path):
    path = _notebook(
        tmp_path / "streams.ipynb",
        "print('a', flush=True)\nprint('b', flush=True)\nprint('c')",
        "print('x', flush=True)\ndisplay(7)\nprint('y')",
    )
    assert refresh_notebooks.main([str(path)]) == 0
    first, second = nbformat.read(path, as_version=4).cells
    assert [(o["output_type"], o.get("text")) for o in first.outputs] == [("stream", "a\nb\nc\n")]
    assert [o["output_type"] for o in second.outputs] == ["stream", "display_data", "stream"]
    assert [o.get("text") for o in second.outputs] == ["x\n", None, "y\n"]


def test_refresh_leaves_a_failing_notebook_untouched(tmp_path):
    path = _notebook(tmp_path / "bad.ipynb", "print('before')", "1 / 0", "print('after')")
    before = path.read_bytes()
    assert refresh_notebooks.main([str(path)]) == 1
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ipynb"]  # no temporary file left behind


def test_refresh_reports_a_missing_file(tmp_path):
    assert refresh_notebooks.main([str(tmp_path / "missing.ipynb")]) == 1


def test_refresh_runs_in_the_notebook_folder(tmp_path):
    (tmp_path / "data.txt").write_text("hello")
    path = _notebook(tmp_path / "cwd.ipynb", "print(open('data.txt').read())")
    assert refresh_notebooks.main([str(path)]) == 0
    assert nbformat.read(path, as_version=4).cells[0].outputs[0]["text"] == "hello\n"


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

    monkeypatch.setattr(build_book.subprocess, "call", fake_jupyter_book)
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
    import make_logo

    files = make_logo.render()
    assert set(files) == {"logo.svg", "favicon.png"}
    for name, data in files.items():
        assert (root / "_static" / name).read_bytes() == data, f"run python tools/make_logo.py ({name} is stale)"
    level, touch = make_logo.tangent_level()
    assert abs(touch[0]) < 1e-9 and abs(touch[1] - 1) < 1e-9  # the loss contour touches the diamond at a corner
    assert level > 0


def test_check_links_finds_broken_links_and_anchors_and_lists_external_ones(tmp_path):
    import check_links

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
    assert check_links.main([str(tmp_path)]) == 3


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


def test_kernels_start_without_the_tcp_warning(tmp_path, root):
    """Every kernel of the environment reads tools/ipython_kernel_config.py (installed by `make venv`),
    so a refresh, nbval, the book build and grading print no "[IPKernelApp] WARNING" (issue 19)."""
    import subprocess
    import sys
    from pathlib import Path

    installed = Path(sys.prefix) / "etc" / "ipython" / "ipython_kernel_config.py"
    assert installed.is_file(), "run `make venv`: it installs the kernel configuration into the environment"
    assert installed.read_text() == (root / "tools" / "ipython_kernel_config.py").read_text()
    path = _notebook(tmp_path / "quiet.ipynb", "print('ok')")
    run = subprocess.run([sys.executable, str(root / "tools" / "refresh_notebooks.py"), str(path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "IPKernelApp" not in run.stderr and "without encryption" not in run.stderr, run.stderr


def test_notebooks_are_executed_in_parallel_into_the_cache_jupyter_book_reads(tmp_path):
    """The build's pre-execution: every notebook of the table of contents, in the kernel environment plus
    extra_env, stored so that jupyter-cache matches it (what myst-nb's cache mode looks up); a failing
    notebook is left out of the cache, for jupyter-book to execute and report."""
    import nbformat
    from jupyter_cache import get_cache

    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "_toc.yml").write_text("format: jb-book\nroot: chapters/a\nchapters:\n  - file: chapters/b\n  - file: chapters/c\n")
    (root / "_config.yml").write_text("execute:\n  execute_notebooks: cache\n  timeout: 60\n")
    sources = {"a": "import os; print(os.environ['PYTHONHASHSEED'], os.environ['REGBOOK_TEST_VAR'])",
               "b": "print(6 * 7)", "c": "raise RuntimeError('broken chapter')"}
    for name, source in sources.items():
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, root / "chapters" / f"{name}.ipynb")
    build_dir = tmp_path / "out" / "_build"
    env = {**build_book.KERNEL_ENV, "REGBOOK_TEST_VAR": "simulated machine"}
    failed = build_book.execute_in_parallel(root, build_dir, env, jobs=2)
    assert failed == [str(root / "chapters" / "c.ipynb")]
    cache = get_cache(str(build_dir / ".jupyter_cache"))
    outputs = {}
    for name in ("a", "b"):
        record = cache.match_cache_notebook(nbformat.read(root / "chapters" / f"{name}.ipynb", as_version=4))
        outputs[name] = cache.get_cache_bundle(record.pk).nb.cells[0].outputs[0]["text"]
    assert outputs == {"a": "0 simulated machine\n", "b": "42\n"}
    with pytest.raises(KeyError):
        cache.match_cache_notebook(nbformat.read(root / "chapters" / "c.ipynb", as_version=4))
    assert build_book.execute_in_parallel(root, build_dir, env, jobs=2) == [str(root / "chapters" / "c.ipynb")]
