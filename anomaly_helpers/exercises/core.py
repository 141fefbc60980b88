"""Auto-checked exercises: ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

The ergonomics of Kaggle Learn's exercises without the magic: the learner passes the
answer explicitly, and a check never raises in a learner's notebook. It *displays* one
of three verdicts:

* **not attempted** — the answer is still the placeholder ``...`` (or the function
  still raises ``NotImplementedError``);
* **incorrect: <why>** — with a reason that helps;
* **correct**.

In the test run the environment variable ``ANOMALY_HELPERS_STRICT_CHECKS=1`` is set
(by ``tests/conftest.py``): an *incorrect* verdict then raises ``AssertionError``, so a
wrong reference solution in a lesson fails the suite. "Not attempted" never raises,
so student notebooks (solutions removed) still run top to bottom.

Defining an exercise (teachers: see ``anomaly_helpers/exercises/README.md``)::

    q1 = ValueExercise(
        name="Exercise 1.1",
        expected=lambda: 3.0,            # or a plain value
        tolerance=1e-3,
        hints=["First hint", "Second hint"],
        solution="threshold = mu + 3 * sigma",
    )
"""

from __future__ import annotations

import html
import math
import os
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "STRICT_ENV",
    "Verdict",
    "Exercise",
    "ValueExercise",
    "FunctionExercise",
    "ChoiceExercise",
    "CustomExercise",
    "Incorrect",
    "is_placeholder",
]

#: Environment variable that makes incorrect answers raise (set by the test configuration).
STRICT_ENV = "ANOMALY_HELPERS_STRICT_CHECKS"

_COLOURS = {"correct": "#1a7f37", "incorrect": "#cf222e", "not attempted": "#6e7781", "hint": "#0969da"}


class Incorrect(Exception):
    """Raised inside a check function to report *why* an answer is wrong."""


def is_placeholder(answer: Any) -> bool:
    """True when ``answer`` is the untouched placeholder ``...`` (Ellipsis)."""
    return answer is Ellipsis


@dataclass(frozen=True)
class Verdict:
    """The displayed result of a check: ``status`` is "correct", "incorrect" or "not attempted"."""

    exercise: str
    status: str
    message: str = ""

    def _text(self) -> str:
        label = {"correct": "Correct", "incorrect": "Incorrect", "not attempted": "Not attempted"}[self.status]
        return f"{self.exercise} · {label}" + (f": {self.message}" if self.message else "")

    def __repr__(self) -> str:
        return self._text()

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.status]
        return (
            f'<div style="border-left:4px solid {colour};padding:2px 8px">'
            f'<b style="color:{colour}">{html.escape(self._text())}</b></div>'
        )

    @property
    def correct(self) -> bool:
        return self.status == "correct"


@dataclass(frozen=True)
class _Note:
    """A hint or a solution, shown as Markdown in JupyterLab and as text elsewhere."""

    title: str
    body: str
    code: bool = False

    def __repr__(self) -> str:
        return f"{self.title}:\n{self.body}"

    def _repr_markdown_(self) -> str:
        body = f"```python\n{self.body}\n```" if self.code else self.body
        return f"**{self.title}:** {body}" if not self.code else f"**{self.title}:**\n\n{body}"


def _strict() -> bool:
    return os.environ.get(STRICT_ENV, "") not in ("", "0", "false", "False")


class Exercise:
    """Base class: one exercise, with its check, hints and solution defined in one place.

    Parameters
    ----------
    name : str
        Shown with every verdict, e.g. "Exercise 1.2".
    hints : sequence of str
        Hints in order; ``hint()`` shows the first, ``hint(2)`` the second.
    solution : str
        The solution, shown by ``solution()`` (code unless ``solution_is_code=False``).
    solution_is_code : bool, default True
    """

    def __init__(self, name: str, *, hints: Sequence[str] = (), solution: str = "", solution_is_code: bool = True):
        if not name:
            raise ValueError("name must be a non-empty string such as 'Exercise 1.1'.")
        self.name = name
        self.hints = tuple(hints)
        self._solution = solution
        self._solution_is_code = solution_is_code

    # -- what subclasses implement -------------------------------------------------
    def _check(self, answer: Any) -> None:  # pragma: no cover - abstract
        """Raise :class:`Incorrect` with a reason if ``answer`` is wrong."""
        raise NotImplementedError

    def _not_attempted(self, answer: Any) -> bool:
        return is_placeholder(answer)

    # -- the learner-facing API ----------------------------------------------------
    def check(self, answer: Any = Ellipsis) -> Verdict:
        """Check ``answer`` and return (display) the verdict; never raises for a learner."""
        if self._not_attempted(answer):
            verdict = Verdict(
                self.name, "not attempted", "replace the `...` placeholder with your answer, then run the cell again."
            )
        else:
            try:
                self._check(answer)
                verdict = Verdict(self.name, "correct")
            except Incorrect as exc:
                verdict = Verdict(self.name, "incorrect", str(exc))
            except _NotAttempted:
                verdict = Verdict(
                    self.name, "not attempted", "your function still raises NotImplementedError: write its body."
                )
            except Exception as exc:  # the learner's code failed in an unexpected way
                tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
                verdict = Verdict(self.name, "incorrect", f"checking your answer raised {tb}")
        if verdict.status == "incorrect" and _strict():
            raise AssertionError(f"{verdict!r} (strict checks are on: {STRICT_ENV}=1)")
        return verdict

    def hint(self, n: int = 1) -> _Note:
        """Show hint number ``n`` (1-based)."""
        if not self.hints:
            return _Note(f"{self.name} · hint", "There is no hint for this one: re-read the section above.")
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(self.hints):
            return _Note(
                f"{self.name} · hint", f"There are {len(self.hints)} hint(s): call hint(1) … hint({len(self.hints)})."
            )
        return _Note(f"{self.name} · hint {n}/{len(self.hints)}", self.hints[n - 1])

    def solution(self) -> _Note:
        """Show the solution."""
        return _Note(f"{self.name} · solution", self._solution, code=self._solution_is_code)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}: call .check(answer), .hint(), .solution()>"


class _NotAttempted(Exception):
    pass


def _compare(got: Any, expected: Any, tolerance: float, what: str = "your answer") -> None:
    """Raise Incorrect unless ``got`` matches ``expected`` (numbers, arrays, strings, sequences)."""
    if isinstance(expected, (str, bool)) or expected is None:
        if got != expected:
            raise Incorrect(f"{what} is {got!r}; that is not it.")
        return
    if isinstance(expected, (int, float, np.number)):
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.number)):
            raise Incorrect(f"{what} should be a single number, got {type(got).__name__} {got!r}.")
        if not math.isfinite(float(got)):
            raise Incorrect(f"{what} is {got}, not a finite number.")
        if not math.isclose(float(got), float(expected), rel_tol=tolerance, abs_tol=tolerance):
            direction = "too high" if got > expected else "too low"
            raise Incorrect(f"{what} {float(got):.4g} is {direction}.")
        return
    exp = np.asarray(expected)
    try:
        arr = np.asarray(got, dtype=float if exp.dtype.kind in "fiub" else None)
    except (TypeError, ValueError):
        raise Incorrect(f"{what} should be array-like of numbers, got {type(got).__name__}.") from None
    if arr.shape != exp.shape:
        raise Incorrect(f"{what} has shape {arr.shape}, expected {exp.shape}.")
    if exp.dtype.kind in "fiub":
        if not np.all(np.isfinite(arr)):
            raise Incorrect(f"{what} contains NaN or infinite values.")
        if not np.allclose(arr, exp, rtol=tolerance, atol=tolerance):
            n_bad = int((~np.isclose(arr, exp, rtol=tolerance, atol=tolerance)).sum())
            raise Incorrect(
                f"{n_bad} of {exp.size} value(s) of {what} differ from the expected ones (tolerance {tolerance:g})."
            )
    elif not np.array_equal(arr, exp):
        raise Incorrect(f"{what} differs from the expected one.")


class ValueExercise(Exercise):
    """The learner computes a value (number, array, string); it is compared with the expected one.

    Parameters
    ----------
    expected : object or callable
        The expected value, or a zero-argument callable computing it (evaluated when checked,
        so it can load data).
    tolerance : float, default 1e-6
        Relative and absolute tolerance for numbers and arrays.
    """

    def __init__(self, name: str, *, expected: Any, tolerance: float = 1e-6, **kwargs: Any):
        super().__init__(name, **kwargs)
        self._expected = expected
        self.tolerance = tolerance

    def expected(self) -> Any:
        return self._expected() if callable(self._expected) else self._expected

    def _check(self, answer: Any) -> None:
        _compare(answer, self.expected(), self.tolerance)


class ChoiceExercise(Exercise):
    """A multiple-choice or short-answer question; the answer is a letter or a word.

    Parameters
    ----------
    answer : str or set of str
        The correct choice(s) (case-insensitive, surrounding spaces ignored). A set means
        several choices must all be given, e.g. ``{"a", "c"}`` accepts "a, c" or ["c", "a"].
    choices : sequence of str, optional
        Valid options; any other answer is reported as invalid.
    explanation : str, optional
        Shown with a correct verdict (why it is right).
    why_not : dict, optional
        Explanations for specific wrong choices.
    """

    def __init__(
        self,
        name: str,
        *,
        answer: str | set[str],
        choices: Sequence[str] = (),
        explanation: str = "",
        why_not: dict[str, str] | None = None,
        **kwargs: Any,
    ):
        kwargs.setdefault("solution_is_code", False)
        super().__init__(name, **kwargs)
        self._answer = {answer} if isinstance(answer, str) else set(answer)
        self._answer = {a.strip().lower() for a in self._answer}
        self.choices = tuple(c.strip().lower() for c in choices)
        self.explanation = explanation
        self.why_not = {k.strip().lower(): v for k, v in (why_not or {}).items()}
        if not self._solution:
            self._solution = ", ".join(sorted(self._answer)) + (f" — {explanation}" if explanation else "")

    @staticmethod
    def _normalise(answer: Any) -> set[str]:
        if isinstance(answer, str):
            parts = answer.replace(";", ",").split(",") if "," in answer or ";" in answer else [answer]
        elif isinstance(answer, Iterable):
            parts = list(answer)
        else:
            raise Incorrect(f"answer with a string such as 'a', got {type(answer).__name__} {answer!r}.")
        return {str(p).strip().lower() for p in parts if str(p).strip()}

    def _check(self, answer: Any) -> None:
        given = self._normalise(answer)
        if not given:
            raise Incorrect("the answer is empty.")
        if self.choices:
            invalid = sorted(given - set(self.choices))
            if invalid:
                raise Incorrect(f"{', '.join(map(repr, invalid))} is not one of the options {list(self.choices)}.")
        if given != self._answer:
            wrong = sorted(given - self._answer)
            reasons = [self.why_not[w] for w in wrong if w in self.why_not]
            if reasons:
                raise Incorrect(" ".join(reasons))
            if len(self._answer) > 1 and given < self._answer:
                raise Incorrect("partly right: some correct options are missing.")
            raise Incorrect("not this one — re-read the section and try again.")

    def check(self, answer: Any = Ellipsis) -> Verdict:
        verdict = super().check(answer)
        if verdict.correct and self.explanation:
            return Verdict(verdict.exercise, "correct", self.explanation)
        return verdict


class FunctionExercise(Exercise):
    """The learner writes a function; the check runs it on test cases.

    Parameters
    ----------
    reference : callable
        The reference implementation; its outputs are the expected ones.
    cases : sequence of tuple, or callable returning them
        Argument tuples to call both functions with (a callable is evaluated lazily).
    tolerance : float, default 1e-6
    compare : callable, optional
        ``compare(got, expected, args)`` raising :class:`Incorrect`; defaults to numeric comparison.
    """

    def __init__(
        self,
        name: str,
        *,
        reference: Callable[..., Any],
        cases: Sequence[tuple] | Callable[[], Sequence[tuple]],
        tolerance: float = 1e-6,
        compare: Callable[[Any, Any, tuple], None] | None = None,
        **kwargs: Any,
    ):
        super().__init__(name, **kwargs)
        self.reference = reference
        self._cases = cases
        self.tolerance = tolerance
        self._compare_fn = compare

    def cases(self) -> Sequence[tuple]:
        return self._cases() if callable(self._cases) else self._cases

    def _check(self, answer: Any) -> None:
        if not callable(answer):
            raise Incorrect(f"pass the function itself (its name without parentheses), got {type(answer).__name__}.")
        for i, args in enumerate(self.cases(), start=1):
            copies = tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)
            try:
                got = answer(*copies)
            except NotImplementedError:
                raise _NotAttempted() from None
            except Exception as exc:
                raise Incorrect(f"on test case {i} your function raised {type(exc).__name__}: {exc}") from None
            if got is None:
                raise Incorrect(f"on test case {i} your function returned None — did you forget `return`?")
            expected = self.reference(*args)
            if self._compare_fn is not None:
                self._compare_fn(got, expected, args)
            else:
                _compare(got, expected, self.tolerance, what=f"the result on test case {i}")


class CustomExercise(Exercise):
    """An exercise whose check is any function ``check_fn(answer)`` raising :class:`Incorrect`."""

    def __init__(self, name: str, *, check_fn: Callable[[Any], None], **kwargs: Any):
        super().__init__(name, **kwargs)
        self._check_fn = check_fn

    def _check(self, answer: Any) -> None:
        self._check_fn(answer)
