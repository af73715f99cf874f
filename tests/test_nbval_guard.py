"""The guard itself: nbval must fail when a stored number differs from what the code computes.

If the sanitize file ever masked numbers, or nbval ran in lax mode, the notebooks
could show numbers that today's code no longer produces. These tests make that
impossible to miss.
"""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from conftest import ROOT, chapter_notebooks

SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def sanitizers() -> list[tuple[str, str]]:
    parser = configparser.ConfigParser()
    parser.read(SANITIZE)
    return [(parser[s]["regex"], parser[s]["replace"]) for s in parser.sections()]


def test_sanitizers_leave_numbers_alone():
    samples = ["3.14159", "-0.5", "1e-08", "1234567890", "0.000123", "[ 1.25 -3.5 ]", "deg 15: 0.0910"]
    rules = sanitizers()
    assert rules, "the sanitize file defines no rule"
    for regex, replace in rules:
        for text in samples:
            assert re.sub(regex, replace, text) == text, (regex, text)


def test_sanitizers_do_not_touch_stored_numbers():
    """Apart from object addresses, no stored text output of any chapter is changed by a sanitizer."""
    for path in chapter_notebooks():
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                text = output.get("text") or output.get("data", {}).get("text/plain", "")
                for regex, replace in sanitizers():
                    cleaned = re.sub(regex, replace, text)
                    assert re.sub(r"0xADDRESS", "", cleaned) == re.sub(r"0x[0-9a-fA-F]{6,16}", "", text)


def _tamper(nb) -> str:
    """Change one digit of the first numeric printed output; return the new line."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and re.search(r"\d", output["text"]):
                text = output["text"]
                i = re.search(r"\d", text).start()
                digit = "1" if text[i] != "1" else "2"
                output["text"] = text[:i] + digit + text[i + 1 :]
                return output["text"]
    pytest.skip("no notebook prints a number yet")


@pytest.mark.parametrize("path", chapter_notebooks()[:1], ids=lambda p: p.name)
def test_a_hand_edited_output_fails_the_tests(tmp_path, path):
    nb = nbformat.read(path, as_version=4)
    _tamper(nb)
    copy = tmp_path / path.name
    nbformat.write(nb, copy)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    shutil.copy(SANITIZE, tmp_path / SANITIZE.name)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "--nbval",
         "--nbval-sanitize-with", SANITIZE.name, copy.name],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 1, result.stdout[-3000:]
    assert re.search(r"\b1 failed\b", result.stdout), result.stdout[-3000:]
