"""Unit tests of the student-edition transforms (tools/booktools/student.py)."""

from __future__ import annotations

import nbformat
import pytest

from booktools import student


def test_strip_solutions_removes_every_fence_style():
    text = """Before.

```{exercise} One
:label: ex-a
Do it.
```

```{solution} ex-a
:class: dropdown
Secret one.
```

````{solution} ex-b
Secret two with code:
```python
print("secret")
```
````

:::{solution} ex-c
Secret three.
:::

After.
"""
    out = student.strip_solutions(text)
    assert "Secret" not in out and "secret" not in out and "{solution" not in out
    assert "Do it." in out and "Before." in out and "After." in out and "```{exercise} One" in out


def test_an_unclosed_solution_fails_loudly():
    with pytest.raises(ValueError, match="solution"):
        student.strip_solutions("```{solution} ex-a\nSecret, never closed.\n")


def test_strip_notebook_drops_solution_cells_and_keeps_the_rest():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# T\n\n```{solution} ex\nSecret.\n```\n"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("check = 2", metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("### Checking the solutions", metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("## How to teach with it", metadata={"tags": ["instructor-only"]}),
    ])
    out = student.strip_notebook(nb)
    assert [c.source.strip() for c in out.cells] == ["# T", "x = 1"]
    assert len(nb.cells) == 5, "the input is not modified"


def test_student_toc_prunes_instructor_pages_at_any_depth():
    toc = {"root": "index", "chapters": [
        {"file": "a"}, {"file": "instructors"},
        {"file": "b", "sections": [{"file": "instructors"}, {"file": "c"}]},
    ]}
    assert student.student_toc(toc) == {"root": "index", "chapters": [
        {"file": "a"}, {"file": "b", "sections": [{"file": "c"}]},
    ]}


def test_student_config_changes_only_the_override_keys():
    config = {"title": "Book", "execute": {"execute_notebooks": "cache", "timeout": 3}, "other": 1}
    out = student.student_config(config)
    assert out == {"title": "Book (student edition)", "execute": {"execute_notebooks": "off", "timeout": 3},
                   "other": 1, "sphinx": {"config": {"hide_solutions": True}}}
    assert config["title"] == "Book", "the input is not modified"
