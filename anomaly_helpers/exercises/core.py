"""Auto-checked exercises: ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``, ``q1.use(answer)``.

The ergonomics of Kaggle Learn's exercises without the magic: the learner passes the answer
explicitly, and a check never raises in a learner's notebook. It **displays** one of three
verdicts at once (so a ``print`` after it cannot hide it) and returns it:

* **Not attempted** — the answer is still the placeholder ``...`` (or the function still
  raises ``NotImplementedError``);
* **Incorrect: <why>** — the failing input, the expected and the returned value, or the
  typical mistake when it is known;
* **Correct**.

In the test run ``ANOMALY_HELPERS_STRICT_CHECKS=1`` is set (by ``tests/conftest.py``): an
*incorrect* verdict then raises ``AssertionError`` after it is shown, so a wrong reference
solution in a lesson fails the suite. "Not attempted" never raises.

When nbgrader grades a submission (``tools/grading.py`` sets ``ANOMALY_HELPERS_GRADING=1``),
every verdict but "correct" raises after it is shown — :class:`Incorrect` or
:class:`NotAttempted` — so the autograder cell that holds the check scores 0.

Each exercise has ``points`` (by default its number of ★ in the name). Each lesson module has
a ``progress()`` that shows every exercise with its status and points (see :mod:`.progress`).

Teachers: ``anomaly_helpers/exercises/README.md`` walks through adding and changing an exercise.
"""

from __future__ import annotations

import copy
import inspect
import math
import os
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from anomaly_helpers.exercises.display import Shown, html_block, show
from anomaly_helpers.exercises.feedback import Incorrect, LearnerFunction, NotAttempted, compare, short_repr
from anomaly_helpers.exercises.solutions import answer_name_of, fill_solution_comments

__all__ = [
    "STRICT_ENV",
    "GRADING_ENV",
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
#: Environment variable set while nbgrader grades: anything but "correct" raises.
GRADING_ENV = "ANOMALY_HELPERS_GRADING"

_COLOURS = {"correct": "#1a7f37", "incorrect": "#cf222e", "not attempted": "#6e7781", "hint": "#0969da"}
_LABELS = {"correct": "Correct", "incorrect": "Incorrect", "not attempted": "Not attempted"}
#: How far a verdict got: ``best_status`` keeps the highest an exercise reached in the session.
_RANK = {"not attempted": 0, "incorrect": 1, "correct": 2}


def is_placeholder(answer: Any) -> bool:
    """True when ``answer`` is the untouched placeholder ``...`` (Ellipsis)."""
    return answer is Ellipsis


def _flag(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0", "false", "False")


def _strict() -> bool:
    return _flag(STRICT_ENV)


class Verdict(Shown):
    """The result of a check: ``status`` is "correct", "incorrect" or "not attempted".

    It is displayed when the check runs; as the last expression of that cell it shows nothing
    more. ``detail`` keeps an internal error for the tests and is never shown to a learner.
    """

    def __init__(self, exercise: str, status: str, message: str = "", detail: str = ""):
        self.exercise, self.status, self.message, self.detail = exercise, status, message, detail

    def _text(self) -> str:
        return f"{self.exercise} · {_LABELS[self.status]}" + (f": {self.message}" if self.message else "")

    def _html(self) -> str:
        return html_block(self._text(), _COLOURS[self.status])

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Verdict) and (self.exercise, self.status, self.message) == (
            other.exercise,
            other.status,
            other.message,
        )

    __hash__ = None  # type: ignore[assignment]


class _Note(Shown):
    """A hint or a solution, shown as Markdown in JupyterLab and as text elsewhere."""

    def __init__(self, title: str, body: str, code: bool = False):
        self.title, self.body, self.code = title, body, code

    def _text(self) -> str:
        return f"{self.title}:\n{self.body}"

    def _markdown(self) -> str:
        if self.code:
            return f"**{self.title}:**\n\n```python\n{self.body}\n```"
        return f"**{self.title}:** {self.body}"


# --------------------------------------------------------------------------- the base class
class Exercise:
    """One exercise, with its check, hints, solution and points defined in one place.

    Parameters
    ----------
    name : str
        Shown with every verdict, e.g. "Exercise 1.2 (★☆☆)". The stars give the default points.
    hints : sequence of str
        Hints in order; ``hint()`` shows the first, ``hint(2)`` the second.
    solution : str
        Code that computes the answer (unless ``solution_is_code=False``). The tests execute it in
        ``context()`` and check the value it assigns to ``answer_name``. Numbers in its comments are
        written as ``{expression}`` fields, filled from that execution (never typed).
    solution_is_code : bool, default True
    answer_name : str, optional
        The variable (or function) the solution produces and the learner passes to ``check``;
        by default the last ``def`` or assignment of the solution.
    context : callable, optional
        Returns a dict of the names the solution uses (the lesson's data, e.g. ``{"y": y}``);
        ``np`` and ``math`` are always there.
    points : int, optional
        Points for a correct answer; by default the number of ★ in ``name`` (1 without stars).
    """

    #: What the learner passes: "value" or "function" (for the "not attempted" message).
    expects = "value"

    def __init__(
        self,
        name: str,
        *,
        hints: Sequence[str] = (),
        solution: str = "",
        solution_is_code: bool = True,
        answer_name: str | None = None,
        context: Callable[[], dict] | None = None,
        points: int | None = None,
    ):
        if not isinstance(name, str) or not name:
            raise ValueError("name must be a non-empty string such as 'Exercise 1.1 (★☆☆)'.")
        if points is not None and (isinstance(points, bool) or not isinstance(points, int) or points < 0):
            raise ValueError(f"points must be a whole number >= 0, got {points!r}; pass e.g. points=2.")
        self.name = name
        self.hints = tuple(hints)
        self._solution = solution
        self._solution_is_code = solution_is_code
        self.answer_name = answer_name or (answer_name_of(solution) if solution_is_code else None)
        self._context = context
        self.points = points if points is not None else max(1, name.count("★"))
        self.status = "not attempted"
        self.best_status = "not attempted"

    @property
    def label(self) -> str:
        """The name without its stars, e.g. "Exercise 4.1"."""
        return re.sub(r"\s*\([★☆]+\)", "", self.name).strip()

    # -- what subclasses implement -------------------------------------------------
    def _check(self, answer: Any) -> None:  # pragma: no cover - abstract
        """Raise :class:`Incorrect` with a reason if ``answer`` is wrong."""
        raise NotImplementedError

    def _what_to_give(self) -> str:
        return "the answer the exercise asks for"

    def reference_answer(self) -> Any:
        """The reference answer (what :meth:`use` falls back to)."""
        raise ValueError(f"{self.name} has no reference answer; pass reference=... when defining it.")

    def _not_attempted_message(self) -> str:
        if self.expects == "function":
            name = self.answer_name or "your_function"
            return f"write the body of `{name}`, then pass the function itself: `.check({name})`."
        if self.answer_name:
            return f"replace the `...` in `{self.answer_name} = ...` with your answer, then run the cell again."
        return "replace the `...` placeholder with your answer, then run the cell again."

    # -- checking --------------------------------------------------------------------
    def _evaluate(self, answer: Any) -> Verdict:
        """The verdict for ``answer``, computed quietly (no display, no strict error)."""
        if is_placeholder(answer):
            return Verdict(self.name, "not attempted", self._not_attempted_message())
        try:
            self._check(answer)
        except Incorrect as exc:
            return Verdict(self.name, "incorrect", str(exc))
        except NotAttempted:
            return Verdict(
                self.name,
                "not attempted",
                "your function does nothing yet (its body is the placeholder): write the body, then run the cell again.",
            )
        except Exception as exc:  # a bug in the check itself: never show its text to a learner
            message = f"this answer ({short_repr(answer)}) could not be checked; give {self._what_to_give()}."
            return Verdict(self.name, "incorrect", message, detail=f"{type(exc).__name__}: {exc}")
        return Verdict(self.name, "correct")

    def check(self, answer: Any = Ellipsis) -> Verdict:
        """Check ``answer``: the verdict is displayed at once and returned.

        ``status`` becomes this verdict's status; ``best_status`` the best one so far in the session
        (what ``progress()`` shows: a later wrong try does not undo a correct answer).

        Never raises for a learner; with ``ANOMALY_HELPERS_STRICT_CHECKS=1`` an incorrect verdict
        raises ``AssertionError`` after it is shown.
        """
        verdict = self._evaluate(answer)
        self.status = verdict.status
        if _RANK[verdict.status] > _RANK.get(self.best_status, 0):
            self.best_status = verdict.status  # a later wrong try does not undo a right one
        show(verdict)
        if _flag(GRADING_ENV) and not verdict.correct:
            error = NotAttempted if verdict.status == "not attempted" else Incorrect
            raise error(verdict._text())
        if verdict.status == "incorrect" and _strict():
            raise AssertionError(f"{verdict._text()} (strict checks are on: {STRICT_ENV}=1)")
        return verdict

    def use(self, answer: Any = Ellipsis) -> Any:
        """Return ``answer`` if it passes the check, else the reference; print which one is used.

        For lessons that go on to use an exercise's function or value::

            step = ex.q1.use(rnn_step)   # the learner's rnn_step once it is correct
        """
        verdict = self._evaluate(answer)
        name = f"`{self.answer_name}`" if self.answer_name else "answer"
        if verdict.correct:
            print(f"{self.label}: using your {name} (it passes the check).")
            return answer
        why = "you have not written it yet" if verdict.status == "not attempted" else "it does not pass the check yet"
        print(f"{self.label}: using the reference {name} ({why}).")
        return self.reference_answer()

    # -- help --------------------------------------------------------------------------
    def hint(self, n: int = 1) -> _Note:
        """Show hint number ``n`` (1-based)."""
        if not self.hints:
            note = _Note(f"{self.name} · hint", "There is no hint for this one: re-read the section above.")
        elif isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(self.hints):
            note = _Note(
                f"{self.name} · hint", f"There are {len(self.hints)} hint(s): call hint(1) … hint({len(self.hints)})."
            )
        else:
            note = _Note(f"{self.name} · hint {n}/{len(self.hints)}", self.hints[n - 1])
        show(note)
        return note

    def context(self) -> dict:
        """The names the solution runs with: ``np``, ``math`` and the exercise's ``context``."""
        return {"np": np, "math": math, **(self._context() if self._context else {})}

    def run_solution(self) -> dict:
        """Execute the solution code in :meth:`context`; return the namespace it leaves."""
        if not self._solution_is_code:
            raise ValueError(f"{self.name}'s solution is text, not code.")
        ns = self.context()
        exec(compile(self._solution, f"<solution of {self.name}>", "exec"), ns)  # noqa: S102 - course code
        return ns

    def solution_text(self) -> str:
        """The solution as shown, with the ``{...}`` fields of its comments filled in."""
        if not self._solution_is_code or "{" not in self._solution:
            return self._solution
        try:
            return fill_solution_comments(self._solution, self.run_solution())
        except Exception:  # data missing: show the code, with the numbers left out
            return re.sub(r"(?<!\{)\{[^{}]+\}(?!\})", "…", self._solution)

    def solution(self) -> _Note:
        """Show the solution."""
        note = _Note(f"{self.name} · solution", self.solution_text(), code=self._solution_is_code)
        show(note)
        return note

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}: call .check(answer), .hint(), .solution()>"


# --------------------------------------------------------------------------- the kinds
class ValueExercise(Exercise):
    """The learner computes a value (number, array, string, tuple); it is compared with the expected one.

    Parameters
    ----------
    expected : object or callable
        The expected value, or a zero-argument callable computing it (evaluated when checked).
    tolerance : float, default 1e-6
        *Relative* tolerance (``|answer - expected| <= tolerance * |expected|``, with a floor of
        ``atol`` near 0). An answer rounded to enough decimals is accepted as well.
    atol : float, default 1e-12
    """

    def __init__(self, name: str, *, expected: Any, tolerance: float = 1e-6, atol: float = 1e-12, **kwargs: Any):
        super().__init__(name, **kwargs)
        self._expected = expected
        self.tolerance = tolerance
        self.atol = atol

    def expected(self) -> Any:
        return self._expected() if callable(self._expected) else self._expected

    def reference_answer(self) -> Any:
        return self.expected()

    def _what_to_give(self) -> str:
        exp = self.expected()
        if isinstance(exp, (int, float, np.number)):
            return "one number"
        return f"a value like {short_repr(exp)}" if isinstance(exp, str) else "an array or a list of numbers"

    def _check(self, answer: Any) -> None:
        expected = self.expected()
        kwargs = {"atol": self.atol} if isinstance(expected, (int, float, np.number)) else {}
        compare(answer, expected, rtol=self.tolerance, **kwargs)


class ChoiceExercise(Exercise):
    """A multiple-choice or short-answer question; the answer is a letter or a word (or several).

    Letters are accepted in any reasonable form: ``"a, c"``, ``"a c"``, ``"(c)"``, ``"C"``,
    ``["a", "c"]``, ``("a",)``, ``np.array(["a", "c"])``.

    Parameters
    ----------
    answer : str or set of str
        The correct choice(s). A set means all of them must be given.
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
        answers = {answer} if isinstance(answer, str) else set(answer)
        self._answer = {a.strip().lower() for a in answers}
        self.choices = tuple(c.strip().lower() for c in choices)
        self.explanation = explanation
        self.why_not = {k.strip().lower(): v for k, v in (why_not or {}).items()}
        if not self._solution:
            self._solution = ", ".join(sorted(self._answer)) + (f" — {explanation}" if explanation else "")

    def reference_answer(self) -> str:
        return ", ".join(sorted(self._answer))

    def _what_to_give(self) -> str:
        return "one or more letters, e.g. 'b' or 'a, c'"

    def _tokens(self, answer: Any) -> list[str]:
        if isinstance(answer, np.ndarray):
            answer = answer.tolist()
        if isinstance(answer, str):
            text = answer.strip().lower()
            if text in self.choices or text in self._answer:
                return [text]
            text = re.sub(r"[()\[\]{}'\"]", " ", text)
            parts = [p.strip(".:!?") for p in re.split(r"[\s,;/&+|]+", text)]
            parts = [p for p in parts if p and p not in ("and", "also")]
            letters = {c for c in self.choices if len(c) == 1}
            out: list[str] = []
            for p in parts:  # "ac" -> a, c when every character is a one-letter choice
                out.extend(list(p) if letters and p not in self.choices and set(p) <= letters else [p])
            return out
        if isinstance(answer, (list, tuple, set, frozenset)):
            return [t for item in answer for t in self._tokens(item)]
        raise Incorrect(f"answer with letters such as 'b' or 'a, c' (as text), got {short_repr(answer)}.")

    def _check(self, answer: Any) -> None:
        given = set(self._tokens(answer))
        if not given:
            raise Incorrect("the answer is empty: give one or more letters, e.g. 'b' or 'a, c'.")
        if self.choices:
            invalid = sorted(given - set(self.choices))
            if invalid:
                options = ", ".join(self.choices)
                raise Incorrect(f"{', '.join(map(repr, invalid))} is not one of the options ({options}).")
        if given == self._answer:
            return
        wrong = sorted(given - self._answer)
        reasons = [self.why_not[w] for w in wrong if w in self.why_not]
        if len(self._answer) == 1 and len(given) > 1:
            raise Incorrect(" ".join(["give one letter: this question has one answer.", *reasons]))
        if reasons:
            raise Incorrect(" ".join(reasons))
        if len(self._answer) > 1 and given < self._answer:
            raise Incorrect("partly right: some correct options are missing.")
        raise Incorrect("not this one — re-read the section and try again.")

    def _evaluate(self, answer: Any) -> Verdict:
        verdict = super()._evaluate(answer)
        if verdict.correct and self.explanation:
            return Verdict(verdict.exercise, "correct", self.explanation)
        return verdict


class FunctionExercise(Exercise):
    """The learner writes a function; the check runs it on test cases (or on ``check_fn``).

    Parameters
    ----------
    reference : callable
        The reference implementation; its outputs are the expected ones, and :meth:`use` falls back to it.
    cases : sequence of tuple, or callable returning them
        Argument tuples to call both functions with. The learner's function gets deep copies.
    tolerance : float, default 1e-6
        Relative tolerance of the default comparison.
    compare : callable, optional
        ``compare(got, expected, args)`` raising :class:`Incorrect`, for known mistakes.
    alternatives : sequence of callable, optional
        Other reference functions whose results are right too (e.g. an exact formula next to an
        approximation).
    check_fn : callable, optional
        ``check_fn(call)`` for exercises not checked case by case (e.g. random draws): ``call(*args)``
        runs the learner's function safely. Replaces ``cases``.
    """

    expects = "function"

    def __init__(
        self,
        name: str,
        *,
        reference: Callable[..., Any],
        cases: Sequence[tuple] | Callable[[], Sequence[tuple]] = (),
        tolerance: float = 1e-6,
        compare: Callable[[Any, Any, tuple], None] | None = None,
        alternatives: Sequence[Callable[..., Any]] = (),
        check_fn: Callable[[Callable[..., Any]], None] | None = None,
        **kwargs: Any,
    ):
        super().__init__(name, **kwargs)
        self.reference = reference
        self._cases = cases
        self.tolerance = tolerance
        self._compare_fn = compare
        self.alternatives = tuple(alternatives)
        self._check_fn = check_fn
        if not self.answer_name:
            self.answer_name = getattr(reference, "__name__", "your_function").lstrip("_")

    def cases(self) -> Sequence[tuple]:
        return self._cases() if callable(self._cases) else self._cases

    def reference_answer(self) -> Callable[..., Any]:
        return self.reference

    def _what_to_give(self) -> str:
        return f"your function `{self.answer_name}` itself (without parentheses)"

    def _arg_names(self) -> list[str]:
        try:
            return list(inspect.signature(self.reference).parameters)
        except (TypeError, ValueError):
            return []

    def _check(self, answer: Any) -> None:
        if not callable(answer):
            raise Incorrect(
                f"pass the function itself, `{self.answer_name}` without parentheses; got {short_repr(answer)}."
            )
        call = LearnerFunction(answer, getattr(answer, "__name__", self.answer_name), self._arg_names())
        if self._check_fn is not None:
            self._check_fn(call)
            return
        cases = self.cases()
        for i, args in enumerate(cases, start=1):
            case = f"test case {i} of {len(cases)}"
            got = call(*args, case=case)
            expected = self.reference(*copy.deepcopy(args))
            try:
                self._compare_case(got, expected, args)
            except Incorrect as exc:
                raise Incorrect(
                    f"on {case}, {call.describe_call(args)}:\n  {exc}\n"
                    f"  expected: {short_repr(expected)}\n  returned: {short_repr(got)}"
                ) from None

    def _compare_case(self, got: Any, expected: Any, args: tuple) -> None:
        for alternative in self.alternatives:
            try:
                compare(got, alternative(*copy.deepcopy(args)), rtol=self.tolerance, accept_rounded=False)
                return
            except Incorrect:
                pass
        if self._compare_fn is not None:
            self._compare_fn(got, expected, args)
        else:
            compare(got, expected, what="your result", rtol=self.tolerance, accept_rounded=False, reveal=True)


class CustomExercise(Exercise):
    """An exercise whose check is any function ``check_fn(answer)`` raising :class:`Incorrect`.

    Parameters
    ----------
    check_fn : callable
    reference : callable, optional
        Zero-argument callable returning the reference answer (for :meth:`use`).
    what_to_give : str, optional
        Completes "give …" when an answer cannot be checked at all, e.g. "a list of four words".
    report : callable, optional
        ``report(answer) -> str``: the message of a "Correct" verdict, for experiment exercises
        whose verdict reports what the learner's own setting measured.
    """

    def __init__(
        self,
        name: str,
        *,
        check_fn: Callable[[Any], None],
        reference: Callable[[], Any] | None = None,
        what_to_give: str = "the answer the exercise asks for",
        report: Callable[[Any], str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(name, **kwargs)
        self._check_fn = check_fn
        self._reference = reference
        self._give = what_to_give
        self._report = report

    def _evaluate(self, answer: Any) -> Verdict:
        verdict = super()._evaluate(answer)
        if verdict.correct and self._report is not None:
            return Verdict(verdict.exercise, "correct", self._report(answer))
        return verdict

    def _what_to_give(self) -> str:
        return self._give

    def reference_answer(self) -> Any:
        if self._reference is None:
            return super().reference_answer()
        return self._reference()

    def _check(self, answer: Any) -> None:
        self._check_fn(answer)
