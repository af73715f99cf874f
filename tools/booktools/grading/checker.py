"""Run an assignment's tests in the grader's process, on a submission's answers as plain data.

This process never executes student code: answers arrive decoded by :mod:`grading.wire`, and a
student's function is a *proxy* that sends the grader's inputs into the sandbox and returns the
outputs. The tests (hidden ones included) exist only here. A test passes when its last expression
evaluates to ``True`` itself (not merely something truthy).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import numpy as np

from . import wire
from .sandbox import SandboxError, Session
from .spec import Spec, Test


class StudentError(Exception):
    """The student's function raised (inside the sandbox), or could not be called."""


@dataclass
class TestResult:
    test: Test
    passed: bool
    detail: str = ""

    @property
    def score(self) -> float:
        return self.test.points if self.passed else 0.0


def _proxy(session: Session, name: str, question: str, violations: set):
    def call(*args, **kwargs):
        try:
            message = {"op": "call", "name": name, "question": question,
                       "args": wire.encode(tuple(args)), "kwargs": wire.encode(dict(kwargs))}
        except wire.WireError as exc:
            raise StudentError(f"cannot send these inputs to {name}: {exc}") from exc
        try:
            reply = session.request(message)
        except SandboxError as exc:
            raise StudentError(str(exc)) from exc
        violations.update((v.get("question"), v.get("name")) for v in reply.get("violations", []) if isinstance(v, dict))
        if "ok" not in reply:
            raise StudentError(f"{name} raised {str(reply.get('error', 'an error'))[:300]}")
        try:
            return wire.decode(reply["ok"])
        except (wire.WireError, ValueError, TypeError, OverflowError) as exc:
            raise StudentError(f"{name} returned data that is not plain data: {exc}") from exc

    call.__name__ = name
    return call


def run_test(code: str, namespace: dict):
    """Execute a test's code and return the value of its last expression."""
    tree = ast.parse(code)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<test>", "exec"), namespace)  # noqa: S102 (instructor code)
    return eval(compile(ast.Expression(last.value), "<test>", "eval"), namespace) if last else None  # noqa: S307


def _fresh(base: dict) -> dict:
    return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in base.items()}


def check(session: Session, spec: Spec, base: dict, violations: set) -> list[TestResult]:
    """Fetch the answers from ``session``, run every test, and return one result per test."""
    owner = spec.owner
    reply = session.request({"op": "get", "names": sorted(owner)})
    values = reply.get("values") if isinstance(reply.get("values"), dict) else {}
    violations.update((v.get("question"), v.get("name")) for v in reply.get("violations", []) if isinstance(v, dict))
    answers: dict = {}
    for name in owner:
        if name not in values:
            continue
        node = values[name]
        if isinstance(node, dict) and node.get("$t") == "missing":
            continue
        if isinstance(node, dict) and node.get("$t") == "function":
            answers[name] = _proxy(session, name, owner[name], violations)
            continue
        try:
            answers[name] = wire.decode(node)
        except (wire.WireError, ValueError, TypeError, OverflowError):
            answers[name] = wire.Unsupported("undecodable")
    results = []
    for question in spec.questions:
        for test in question.tests:
            namespace = _fresh(base)
            namespace.update(answers)
            try:
                value = run_test(test.code, namespace)
                results.append(TestResult(test, value is True, "" if value is True else f"the check gave {_short(value)}"))
            except StudentError as exc:
                results.append(TestResult(test, False, str(exc)))
            except NameError as exc:
                results.append(TestResult(test, False, f"not defined: {exc}"))
            except Exception as exc:  # noqa: BLE001  (a wrong answer may break the test in any way)
                results.append(TestResult(test, False, f"{type(exc).__name__}: {str(exc)[:200]}"))
    bad = {q for q, _ in violations}
    for result in results:
        if result.test.question in bad:
            names = sorted(n for q, n in violations if q == result.test.question)
            result.passed = False
            result.detail = f"uses {', '.join(names)}, which this question asks you to implement"
    return results


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
