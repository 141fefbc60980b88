"""Exercise checks: verdicts, strictness, hints, and every lesson exercise with a right and a wrong answer."""

from __future__ import annotations

import importlib
import pkgutil

import numpy as np
import pytest

import anomaly_helpers.exercises as exercises
from anomaly_helpers.exercises import (
    STRICT_ENV,
    ChoiceExercise,
    CustomExercise,
    FunctionExercise,
    Incorrect,
    ValueExercise,
)


@pytest.fixture
def lenient(monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)


@pytest.fixture
def strict(monkeypatch):
    monkeypatch.setenv(STRICT_ENV, "1")


def test_value_exercise_verdicts(lenient):
    q = ValueExercise("Q", expected=2.0, tolerance=1e-3, hints=["h1", "h2"], solution="x = 2")
    assert q.check(...).status == "not attempted"
    assert q.check().status == "not attempted"
    assert q.check(2.0004).status == "correct"
    v = q.check(3.0)
    assert v.status == "incorrect" and "too high" in v.message
    assert q.check("2").status == "incorrect"
    assert q.check(float("nan")).status == "incorrect"
    assert "Not attempted" in repr(q.check(...)) and "Correct" in repr(q.check(2.0))
    assert "<div" in q.check(2.0)._repr_html_()


def test_value_exercise_arrays(lenient):
    q = ValueExercise("Q", expected=lambda: np.arange(3.0))
    assert q.check([0, 1, 2]).correct
    assert "shape" in q.check([0, 1]).message
    assert "differ" in q.check([0, 1, 3]).message


def test_strict_mode_raises_on_incorrect_but_not_on_placeholder(strict):
    q = ValueExercise("Q", expected=1.0)
    assert q.check(...).status == "not attempted"
    assert q.check(1.0).correct
    with pytest.raises(AssertionError, match="Incorrect"):
        q.check(5.0)


def test_function_exercise(lenient):
    def ref(x):
        return x * 2

    q = FunctionExercise("F", reference=ref, cases=[(np.array([1.0, 2.0]),), (3.0,)])
    assert q.check(ref).correct

    def todo(x):
        raise NotImplementedError("write your solution here")

    assert q.check(todo).status == "not attempted"
    assert "returned None" in q.check(lambda x: None).message
    assert "raised ZeroDivisionError" in q.check(lambda x: 1 / 0).message
    assert "test case 1" in q.check(lambda x: x * 3).message
    assert "function itself" in q.check(42).message


def test_function_exercise_cannot_change_the_test_inputs(lenient):
    def ref(x):
        return x.sum()

    def mutating(x):
        x[:] = 0
        return 0.0

    data = np.ones(3)
    q = FunctionExercise("F", reference=ref, cases=[(data,)])
    assert q.check(mutating).status == "incorrect"
    assert data.sum() == 3


def test_choice_exercise(lenient):
    q = ChoiceExercise("C", answer={"a", "c"}, choices=["a", "b", "c"], why_not={"b": "b is wrong because."})
    assert q.check("a, c").correct
    assert q.check(["C", "a"]).correct
    assert q.check("b").message == "b is wrong because."
    assert "partly" in q.check("a").message
    assert "not one of the options" in q.check("z").message


def test_custom_exercise(lenient):
    def check_fn(answer):
        if answer % 2:
            raise Incorrect("it must be even")

    q = CustomExercise("X", check_fn=check_fn)
    assert q.check(4).correct
    assert q.check(3).message == "it must be even"


def test_hints_and_solution():
    q = ValueExercise("Q", expected=1, hints=["first", "second"], solution="x = 1")
    assert "first" in repr(q.hint()) and "1/2" in repr(q.hint())
    assert "second" in repr(q.hint(2))
    assert "hint(1) … hint(2)" in repr(q.hint(3))
    assert "x = 1" in repr(q.solution()) and "```python" in q.solution()._repr_markdown_()
    assert "no hint" in repr(ValueExercise("R", expected=1).hint())


def test_exercise_needs_a_name():
    with pytest.raises(ValueError, match="name"):
        ValueExercise("", expected=1)


def _lesson_modules():
    names = [m.name for m in pkgutil.iter_modules(exercises.__path__) if m.name.startswith("lesson")]
    return [importlib.import_module(f"anomaly_helpers.exercises.{n}") for n in sorted(names)]


def _all_exercises():
    cases = []
    for module in _lesson_modules():
        qs = {k: v for k, v in vars(module).items() if k.startswith("q") and hasattr(v, "check")}
        answers = getattr(module, "ANSWERS", {})
        assert set(qs) == set(answers), (
            f"{module.__name__}: ANSWERS must give a right and a wrong answer for {sorted(qs)}"
        )
        for name in sorted(qs):
            cases.append(pytest.param(qs[name], *answers[name], id=f"{module.__name__.rsplit('.', 1)[1]}.{name}"))
    return cases


@pytest.mark.parametrize(("exercise", "right", "wrong"), _all_exercises())
def test_every_lesson_exercise_tells_right_from_wrong(exercise, right, wrong, lenient):
    assert exercise.check(...).status == "not attempted"
    assert exercise.check(right()).status == "correct", exercise.check(right())
    verdict = exercise.check(wrong())
    assert verdict.status == "incorrect" and verdict.message, verdict
    assert exercise.hints, f"{exercise.name} has no hint"
    assert repr(exercise.solution()).strip()
