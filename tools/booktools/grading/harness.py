"""Runs INSIDE the sandbox: execute one submitted notebook, then answer the grader's requests.

Usage (by :mod:`grading.sandbox` only)::

    python harness.py NOTEBOOK CONFIG_JSON

The grader's requests arrive as JSON lines on standard input and the answers leave as JSON lines
on standard output (the student's own prints go to standard error). Nothing here knows a test:
the grader asks for the values of named answers (``get``) and for the outputs of a student's
function on inputs it chooses (``call``), and checks them in its own process. Everything that
leaves is plain data (see ``wire.py``); a student who tampers with this harness can only spoil
their own answers.

CONFIG_JSON holds ``cell_timeout`` (seconds per cell and per call), ``forbid``: for each question,
the ``regbook`` functions or classes it asks the student to implement, and ``allow``: the (name,
question) pairs where the assignment's own solution calls them. Cells are attributed to the
question whose "Question N" heading precedes them (none before the first heading), and a call of a
student's function by the grader to the question that asks for it. Calling a forbidden name in its
own question, or anywhere the solution does not call it, raises and is reported as a violation.
With ``record`` set (used on the solution, to build ``allow``), nothing raises and every call of a
guarded name is recorded with its question instead.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import signal
import sys
import types


def _load_wire() -> types.ModuleType:
    """``wire.py`` from this file's folder: in the sandbox this runs as ``python -I harness.py``, whose
    folder is not on ``sys.path`` (and nothing else of the grader is there to import)."""
    spec = importlib.util.spec_from_file_location("wire", os.path.join(os.path.dirname(os.path.abspath(__file__)), "wire.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("wire", module)
    spec.loader.exec_module(module)
    return module


wire = _load_wire()

HEADING = re.compile(r"^\s*#+[^\n]*\bQuestion\s+(\d+)", re.M | re.I)


class CellTimeout(KeyboardInterrupt):
    """Raised in the running cell when it exceeds its time."""


class Forbidden(RuntimeError):
    """A question's reference implementation was called where the question asks for one."""


class State:
    question: str | None = None
    forbid: dict[str, list[str]] = {}
    allow: set[tuple[str, str | None]] = set()
    record = False
    calls: set[tuple[str, str | None]] = set()
    violations: list[dict] = []


def _guard(key: str) -> None:
    """Refuse ``key`` where a question forbids it: in that question, and anywhere the solution does not call it."""
    here = State.question
    if State.record:
        State.calls.add((key, here))
        return
    for question, names in State.forbid.items():
        if key in names and (here == question or (key, here) not in State.allow):
            State.violations.append({"question": question, "name": key})
            where = f"in {here}" if here else "outside the questions"
            raise Forbidden(f"{key} is not available {where}: {question} asks you to implement it")


def _resolve(key: str):
    module_name, _, attr = key.rpartition(".")
    module = importlib.import_module(module_name)
    return module, attr, getattr(module, attr)


def install_guards(forbid: dict[str, list[str]]) -> list[str]:
    """Make every forbidden ``regbook`` function or class check the active question when called.

    A function's code object is swapped in place, so references taken before (``from regbook.x
    import f``) are guarded too. Returns the names that could not be guarded.
    """
    State.forbid = {q: list(names) for q, names in forbid.items()}
    failed = []
    for key in sorted({k for names in forbid.values() for k in names}):
        try:
            module, attr, obj = _resolve(key)
        except Exception:  # noqa: BLE001  (a name missing from regbook cannot be called either)
            failed.append(key)
            continue
        if isinstance(obj, type):
            original_init = obj.__init__

            def __init__(self, *args, __key=key, __init=original_init, **kwargs):
                _guard(__key)
                __init(self, *args, **kwargs)

            obj.__init__ = __init__
        elif isinstance(obj, types.FunctionType) and not obj.__code__.co_freevars:
            copy = types.FunctionType(obj.__code__, obj.__globals__, obj.__name__, obj.__defaults__, obj.__closure__)
            copy.__kwdefaults__ = obj.__kwdefaults__
            table = obj.__globals__.setdefault("__regbook_guarded__", {})
            table[key] = copy
            obj.__globals__["__regbook_guard__"] = _call_guarded
            scope: dict = {}
            exec(f"def {attr}(*args, **kwargs):\n    return __regbook_guard__({key!r}, args, kwargs)\n", scope)
            obj.__code__ = scope[attr].__code__
        else:
            failed.append(key)
    return failed


def _call_guarded(key, args, kwargs):
    _guard(key)
    module, _, _ = _resolve(key)
    return module.__dict__["__regbook_guarded__"][key](*args, **kwargs)


def install_otter_stub() -> None:
    """``import otter`` gives a stand-in whose ``Notebook`` does nothing: grading ignores grader.check."""

    class Notebook:
        def __init__(self, *args, **kwargs):
            pass

        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    stub = types.ModuleType("otter")
    stub.Notebook = Notebook
    sys.modules["otter"] = stub


def _alarm(signum, frame):
    raise CellTimeout(f"stopped after {State.timeout:g} s (time limit per cell)")


def timed(timeout: float, function, *args, **kwargs):
    State.timeout = timeout
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return function(*args, **kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def source_of(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def main() -> int:
    notebook_path, config = sys.argv[1], json.loads(sys.argv[2])
    # the protocol keeps private copies of stdin/stdout; the student's prints go to stderr
    proto_in = os.fdopen(os.dup(0), "rb")
    proto_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)

    def send(message: dict) -> None:
        proto_out.write(json.dumps(message, separators=(",", ":"), allow_nan=False) + "\n")
        proto_out.flush()

    try:
        with open(notebook_path, "rb") as handle:
            nb = json.loads(handle.read(64 * 2**20 + 1))
        cells = nb["cells"]
        if not isinstance(cells, list):
            raise TypeError("cells is not a list")
    except Exception as exc:  # noqa: BLE001
        send({"event": "unreadable", "reason": f"not a readable notebook: {type(exc).__name__}: {exc}"[:300]})
        return 0

    install_otter_stub()
    unguarded = install_guards(config.get("forbid", {}))
    State.allow = {(key, where) for key, where in config.get("allow", [])}
    State.record = bool(config.get("record", False))
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    settings = Config()
    settings.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=settings)
    timeout = float(config.get("cell_timeout", 60))
    errors = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            continue
        source = source_of(cell)
        if cell.get("cell_type") == "markdown":
            match = HEADING.search(source)
            if match:
                State.question = f"q{int(match.group(1))}"
            continue
        if cell.get("cell_type") != "code" or not source.strip():
            continue
        try:
            result = timed(timeout, shell.run_cell, source, store_history=False)
            failure = result.error_before_exec or result.error_in_exec
        except BaseException as exc:  # noqa: BLE001  (a timeout landing between cells)
            failure = exc
        if failure is not None:
            errors.append({"cell": index, "error": f"{type(failure).__name__}: {failure}"[:300]})
    State.question = None
    send({"event": "executed", "errors": errors[:50], "violations": State.violations[:50], "unguarded": unguarded})

    namespace = shell.user_ns
    for line in proto_in:
        try:
            request = json.loads(line)
            op = request.get("op")
        except Exception:  # noqa: BLE001
            return 2
        if op == "quit":
            return 0
        if op == "recorded":
            send({"calls": sorted([key, where] for key, where in State.calls)})
            continue
        if op == "get":
            values = {}
            for name in request.get("names", []):
                if name not in namespace:
                    values[name] = {"$t": "missing"}
                    continue
                try:
                    values[name] = wire.encode(namespace[name])
                except Exception as exc:  # noqa: BLE001
                    values[name] = {"$t": "unsupported", "type": f"{type(exc).__name__}"}
            send({"values": values, "violations": State.violations[:50]})
        elif op == "call":
            name = request.get("name")
            before = len(State.violations)
            try:
                function = namespace[name]
                if not callable(function):
                    raise TypeError(f"{name} is not a function")
                args = wire.decode(request.get("args"))
                kwargs = wire.decode(request.get("kwargs"))
                State.question = request.get("question")
                try:
                    value = timed(timeout, function, *args, **kwargs)
                finally:
                    State.question = None
                send({"ok": wire.encode(value), "violations": State.violations[before:before + 10]})
            except BaseException as exc:  # noqa: BLE001  (the student's error is the answer)
                send({"error": f"{type(exc).__name__}: {exc}"[:300], "violations": State.violations[before:before + 10]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
