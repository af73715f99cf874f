"""The pinned requirements.txt is requirements.in compiled by pip-tools (`make lock`), not a hand edit.

Checked offline, from the installed environment's own metadata (no registry is asked):

- every direct dependency in requirements.in is pinned at the same version and marked
  ``# via -r requirements.in``, and nothing else is so marked;
- the pins are exactly the packages that the direct dependencies pull in, transitively (extras and
  environment markers evaluated), and each package's ``# via`` lines name exactly the packages that
  require it;
- the environment running the tests has every pinned version installed.

A pin added, removed or changed by hand breaks one of these; `make lock` repairs it.
"""

from __future__ import annotations

import re
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

FROM_IN = "-r requirements.in"
#: The repository's own packages, installed editable: the book's package and its tools.
EDITABLE = {"-e ./code": "regbook", "-e ./tools": "booktools"}


def direct_requirements() -> dict[str, Requirement]:
    """requirements.in as {canonical name: requirement}; the editable lines are the packages of ``EDITABLE``."""
    found = {}
    for line in (ROOT / "requirements.in").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-e "):
            assert line in EDITABLE, f"unexpected editable requirement {line!r}"
            line = EDITABLE[line]
        req = Requirement(line)
        found[canonicalize_name(req.name)] = req
    return found


def lock() -> tuple[dict[str, str], dict[str, set[str]]]:
    """requirements.txt as ({name: pinned version}, {name: the names in its `# via` lines})."""
    pins: dict[str, str] = {}
    via: dict[str, set[str]] = {}
    current = None
    for raw in (ROOT / "requirements.txt").read_text().splitlines():
        line = raw.strip()
        if not line or (line.startswith("#") and current is None):
            continue
        if not line.startswith("#"):
            name = EDITABLE.get(line)
            if name is None:
                match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)", line)
                assert match, f"requirements.txt line {raw!r} is not a plain pin: edit requirements.in and run make lock"
                name, pins[canonicalize_name(match[1])] = match[1], match[2]
            current = canonicalize_name(name)
            via[current] = set()
            continue
        match = re.fullmatch(r"# via\b\s*(.*)|#\s{3}(\S.*)", line)
        if match is None:  # another comment ends the package's `# via` block
            current = None
            continue
        text = (match[1] if match[1] is not None else match[2]).strip()
        if text:
            via[current].add(text if text == FROM_IN else canonicalize_name(text))
    return pins, via


def required_by() -> dict[str, set[str]]:
    """Walk the installed metadata from requirements.in: {package: the packages that require it}."""
    parents: dict[str, set[str]] = {name: {FROM_IN} for name in direct_requirements()}
    todo = [(name, frozenset(req.extras)) for name, req in direct_requirements().items()]
    seen = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        for text in metadata.distribution(name).requires or []:
            req = Requirement(text)
            if req.marker is not None and not any(
                req.marker.evaluate({"extra": extra}) for extra in (extras or {""})
            ):
                continue
            child = canonicalize_name(req.name)
            parents.setdefault(child, set()).add(name)
            todo.append((child, frozenset(req.extras)))
    return parents


def test_every_direct_dependency_is_pinned_at_its_version_and_marked_as_direct():
    pins, via = lock()
    direct = direct_requirements()
    for name, req in direct.items():
        if name in EDITABLE.values():
            continue
        assert name in pins, f"{name} is in requirements.in but not pinned in requirements.txt: run make lock"
        assert str(req.specifier) == f"=={pins[name]}", f"{name}: requirements.in says {req.specifier}, the lock {pins[name]}"
    marked = {name for name, parents in via.items() if FROM_IN in parents}
    assert marked == set(direct), f"marked as direct but not in requirements.in, or the reverse: {marked ^ set(direct)}"


def test_the_lock_pins_exactly_what_the_direct_dependencies_pull_in():
    pins, via = lock()
    parents = required_by()
    own = set(EDITABLE.values())
    assert set(pins) | own == set(parents), (
        f"pinned but pulled in by nothing: {sorted(set(pins) - set(parents))}; "
        f"pulled in but not pinned: {sorted(set(parents) - set(pins) - own)}"
    )
    wrong = {name: (sorted(via[name]), sorted(parents[name])) for name in parents if via.get(name) != parents[name]}
    assert not wrong, f"`# via` lines that do not match the metadata (lock, metadata): {wrong}"


def test_the_environment_has_every_pinned_version():
    pins, _ = lock()
    wrong = {name: (version, metadata.version(name)) for name, version in pins.items()
             if metadata.version(name) != version}
    assert not wrong, f"installed versions differ from the lock (pinned, installed): {wrong}; run make venv"
