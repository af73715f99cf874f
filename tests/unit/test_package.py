"""The package itself: every submodule is importable by name, and lazily."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

import regbook


def test_all_lists_every_public_submodule():
    found = {m.name for m in pkgutil.iter_modules(regbook.__path__) if not m.name.startswith("_")}
    assert set(regbook.__all__) == found


@pytest.mark.parametrize("name", regbook.__all__)
def test_submodules_are_reached_as_attributes(name):
    assert getattr(regbook, name) is importlib.import_module(f"regbook.{name}")


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError, match="no attribute"):
        regbook.not_a_module  # noqa: B018


def test_a_light_import_does_not_load_matplotlib_or_sklearn():
    code = "import sys, regbook.data; print('matplotlib' in sys.modules, 'sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
