"""Exercise checks: the feedback a learner reads, every lesson exercise with a right and a wrong answer,
every solution executed, the stored verdicts of the instructor notebooks, and the README's walkthrough."""

from __future__ import annotations

import importlib
import importlib.util
import io
import json
import pkgutil
import re
import sys
import tokenize
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import anomaly_helpers.exercises as exercises
from anomaly_helpers.exercises import (
    STRICT_ENV,
    ChoiceExercise,
    CustomExercise,
    Exercise,
    FunctionExercise,
    Incorrect,
    ValueExercise,
    exercises_of,
    short_repr,
)
from anomaly_helpers.exercises.student import strip_solutions

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
README = ROOT / "anomaly_helpers" / "exercises" / "README.md"


@pytest.fixture
def lenient(monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)


@pytest.fixture
def strict(monkeypatch):
    monkeypatch.setenv(STRICT_ENV, "1")


# --------------------------------------------------------------------------- verdicts and display
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


def test_a_check_shows_its_verdict_when_it_runs(lenient, capsys):
    q = ValueExercise("Exercise 9.1 (★☆☆)", expected=2.0)
    q.check(3.0)
    print("printed after the check")
    out = capsys.readouterr().out
    assert out.index("Exercise 9.1 (★☆☆) · Incorrect") < out.index("printed after the check")


def test_strict_mode_raises_on_incorrect_but_not_on_placeholder(strict):
    q = ValueExercise("Q", expected=1.0)
    assert q.check(...).status == "not attempted"
    assert q.check(1.0).correct
    with pytest.raises(AssertionError, match="Incorrect"):
        q.check(5.0)


@pytest.mark.slow
def test_in_a_kernel_the_verdict_is_shown_once_and_a_print_cannot_hide_it(monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    cells = [
        "from anomaly_helpers.exercises import lesson02 as ex\nex.q1.check(ex.largest_window())",
        "ex.q1.check(-1)\nprint('after')",
        "v = ex.q3.check('b')",
        "v",
        "ex.q1.hint()",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    monkeypatch.setenv(STRICT_ENV, "0")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outs = [
        [(o["output_type"], o.get("data", {}).get("text/plain", o.get("text", ""))) for o in c.outputs]
        for c in nb.cells
    ]
    assert outs[0] == [("display_data", "Exercise 2.1 (★☆☆) · Correct")]
    assert [t for t, _ in outs[1]] == ["display_data", "stream"] and "Incorrect" in outs[1][0][1]
    assert len(outs[2]) == 1 and outs[3] == outs[2]  # shown when made, and again when asked for later
    assert len(outs[4]) == 1 and "hint 1/" in outs[4][0][1]


# --------------------------------------------------------------------------- the feedback cases of the issue
def test_a_wrong_function_shows_the_input_the_expected_and_the_returned_value(lenient):
    def double(x):
        return x * 2

    q = FunctionExercise("F", reference=double, cases=[(np.array([1.0, 2.0]),), (3.0,)], solution="def double(x): ...")
    message = q.check(lambda x: x * 3).message
    assert "on test case 1 of 2, <lambda>(x=array([1, 2]))" in message
    assert "expected: array([2, 4])" in message and "returned: array([3, 6])" in message
    assert "first at index 0: expected 2, got 3" in message


def test_no_message_ever_speaks_of_a_tolerance_of_zero(lenient):
    exact = FunctionExercise("F", reference=lambda n: n + 1, cases=[(1,), (2,)], tolerance=0)
    value = ValueExercise("V", expected=160, tolerance=0)
    for verdict in (exact.check(lambda n: n), value.check(161), value.check(159.9)):
        assert verdict.status == "incorrect" and "tolerance" not in verdict.message, verdict


def test_tolerances_are_relative_to_the_expected_value(lenient):
    q = ValueExercise("Q", expected=3e-4, tolerance=1e-3)
    assert q.check(0.0).status == "incorrect"
    assert q.check(3.0002e-4).correct
    assert q.check(3.01e-4).status == "incorrect"
    zero = ValueExercise("Z", expected=0.0)
    assert zero.check(1e-15).correct and zero.check(1e-3).status == "incorrect"


def test_rounding_is_recognised_and_told_how_many_decimals_to_give(lenient):
    q = ValueExercise("Q", expected=1 / 3)
    assert q.check(0.333).correct and q.check(0.3333).correct
    assert q.check(0.33).message == (
        "your answer 0.33 is rounded to 2 decimals: give at least 3 decimals (or do not round at all)."
    )
    small = ValueExercise("S", expected=21 / 378)
    assert "give at least 4 decimals" in small.check(0.056).message and small.check(0.0556).correct
    from anomaly_helpers.exercises import lesson06

    assert "rounded to 2 decimals: give at least 3" in lesson06.q1.check((0.33, 0.75, 0.46)).message
    assert lesson06.q1.check((0.333, 0.75, 0.462)).correct


def test_no_internal_error_text_and_no_long_repr_reaches_a_learner(lenient):
    from anomaly_helpers.exercises import lesson06

    for verdict in (
        lesson06.q1.check(np.array(0.5)),
        ValueExercise("V", expected=0.5).check(pd.Series(np.arange(378.0), name="mean radius")),
        ValueExercise("W", expected=np.arange(3.0)).check(np.zeros((40, 3))),
        ChoiceExercise("C", answer="b", choices=["a", "b"]).check(np.array(1.5)),
    ):
        assert verdict.status == "incorrect" and len(verdict.message) < 200, verdict
        assert "unsized" not in verdict.message and "Error" not in verdict.message, verdict
    assert (
        "Series 'mean radius' of 378 values"
        in ValueExercise("V", expected=0.5).check(pd.Series(range(378), name="mean radius", dtype=float)).message
    )

    def broken_check(answer):
        return len(answer)  # a bug in a check: raises on a number

    verdict = CustomExercise("X", check_fn=broken_check, what_to_give="a list").check(3)
    assert verdict.message == "this answer (3) could not be checked; give a list."
    assert "len()" in verdict.detail  # kept for the tests, never shown


def test_short_repr_summarises_big_objects():
    assert short_repr(np.arange(100.0).reshape(20, 5)) == "array of shape (20, 5) [0, 1, 2, …]"
    assert short_repr(pd.DataFrame(np.zeros((5, 2)))) == "DataFrame of 5 rows × 2 columns"
    assert len(short_repr("x" * 500)) <= 61 and len(short_repr(list(range(1000)))) <= 60


@pytest.mark.parametrize(
    "answer", ["a, c", "a c", "A,C", "(a) (c)", "[a, c]", "a and c", "ac", ["a", "c"], ("C", "a"), np.array(["a", "c"])]
)
def test_choice_letters_are_accepted_in_any_reasonable_form(answer, lenient):
    q = ChoiceExercise("C", answer={"a", "c"}, choices=["a", "b", "c"])
    assert q.check(answer).correct, q.check(answer)


@pytest.mark.parametrize("answer", ["(c)", "c)", "C", " c. ", ["c"], ("c",), np.array("c"), np.array(["c"])])
def test_one_letter_in_any_form(answer, lenient):
    assert ChoiceExercise("C", answer="c", choices=["a", "b", "c"]).check(answer).correct


def test_choice_feedback(lenient):
    q = ChoiceExercise("C", answer={"a", "c"}, choices=["a", "b", "c"], why_not={"b": "b is wrong because."})
    assert q.check("b").message == "b is wrong because."
    assert "partly" in q.check("a").message
    assert "not one of the options" in q.check("z").message
    assert "one answer" in ChoiceExercise("D", answer="a", choices=["a", "b"]).check("a, b").message


def test_check_with_nothing_passed_says_what_to_pass(lenient):
    from anomaly_helpers.exercises import lesson02, lesson03

    assert lesson02.q2.check().message == (
        "write the body of `min_max_scale`, then pass the function itself: `.check(min_max_scale)`."
    )
    assert "`n_params = ...`" in lesson03.q4.check().message


def test_mathematically_right_variants_pass(lenient):
    from anomaly_helpers.exercises import lesson01, lesson02, lesson05

    def exact_harmonic(mean_path_length, n):
        c = 2 * sum(1 / i for i in range(1, n)) - 2 * (n - 1) / n
        return 2 ** (-mean_path_length / c)

    assert lesson01.q4.check(exact_harmonic).correct

    def other_order(x, sigma, random_state):  # draws in another order, and with the legacy generator
        noise = np.random.RandomState(random_state).standard_normal(x.shape[::-1]).T
        return x + sigma * noise

    assert lesson02.q4.check(other_order).correct
    assert lesson05.q1.check(lambda X, X_hat: np.array([np.mean((X - X_hat) ** 2), np.mean(np.abs(X - X_hat))])).correct


def test_jitter_feedback_names_the_mistake(lenient):
    from anomaly_helpers.exercises import lesson02

    def uniform(x, sigma, random_state):
        return x + np.random.default_rng(random_state).uniform(-sigma * 3**0.5, sigma * 3**0.5, x.shape)

    def unseeded(x, sigma, random_state):
        return x + np.random.default_rng().normal(0.0, sigma, x.shape)

    assert "normal (Gaussian)" in lesson02.q4.check(uniform).message
    assert "different noise" in lesson02.q4.check(unseeded).message
    assert "sigma**2" in lesson02.q4.check(lesson02.ANSWERS["q4"][1]()).message


def test_learner_functions_get_deep_copies_of_every_argument(lenient):
    data = {"values": [1.0, 2.0]}

    def mutating(d):
        d["values"].append(100.0)
        return sum(d["values"])

    q = FunctionExercise("F", reference=lambda d: sum(d["values"]), cases=[(data,), (data,)])
    assert q.check(mutating).status == "incorrect"
    assert data == {"values": [1.0, 2.0]}


def test_function_exercise_basics(lenient):
    def ref(x):
        return x * 2

    q = FunctionExercise("F", reference=ref, cases=[(np.array([1.0, 2.0]),), (3.0,)])
    assert q.check(ref).correct

    def todo(x):
        raise NotImplementedError("write your solution here")

    assert q.check(todo).status == "not attempted"
    assert "returned None" in q.check(lambda x: None).message
    assert "raised ZeroDivisionError: division by zero" in q.check(lambda x: 1 / 0).message
    assert "function itself" in q.check(42).message


def test_balanced_class_weights_is_defined_once():
    from anomaly_helpers.exercises import lesson05, lesson07

    assert lesson07.balanced_class_weights is lesson05.balanced_class_weights


def test_custom_exercise(lenient):
    def check_fn(answer):
        if answer % 2:
            raise Incorrect("it must be even")

    q = CustomExercise("X", check_fn=check_fn, reference=lambda: 2)
    assert q.check(4).correct
    assert q.check(3).message == "it must be even"


def test_hints_and_solution(capsys):
    q = ValueExercise("Q", expected=1, hints=["first", "second"], solution="x = 1")
    assert "first" in repr(q.hint()) and "1/2" in repr(q.hint())
    assert "second" in repr(q.hint(2))
    assert "hint(1) … hint(2)" in repr(q.hint(3))
    assert "x = 1" in repr(q.solution()) and "```python" in q.solution()._repr_markdown_()
    assert "no hint" in repr(ValueExercise("R", expected=1).hint())
    assert "first" in capsys.readouterr().out  # shown when called


def test_solution_comments_are_computed():
    q = ValueExercise(
        "Q", expected=0.25, solution="share = k / n   # {k} of {n} = {share:.2f}", context=lambda: {"k": 2, "n": 8}
    )
    assert q.solution_text() == "share = k / n   # 2 of 8 = 0.25"
    assert q.answer_name == "share"


def test_exercise_needs_a_name_and_sane_points():
    with pytest.raises(ValueError, match="name"):
        ValueExercise("", expected=1)
    with pytest.raises(ValueError, match="points"):
        ValueExercise("Q", expected=1, points=-1)
    assert ValueExercise("Exercise 1.1 (★★☆)", expected=1).points == 2
    assert ValueExercise("Q", expected=1, points=5).points == 5


# --------------------------------------------------------------------------- use() and progress()
def test_use_gives_the_learners_function_once_it_passes(lenient, capsys):
    from anomaly_helpers.exercises import lesson04

    def mine(x_t, h_prev, W, U, b):
        return np.tanh(x_t @ W + h_prev @ U + b)

    assert lesson04.q1.use(mine) is mine
    assert "Exercise 4.1: using your `rnn_step` (it passes the check)." in capsys.readouterr().out
    assert lesson04.q1.use(lambda *a: 0.0) is lesson04.rnn_step
    assert "using the reference `rnn_step` (it does not pass the check yet)" in capsys.readouterr().out
    assert lesson04.q1.use() is lesson04.rnn_step
    assert "you have not written it yet" in capsys.readouterr().out
    assert lesson04.q2.use(...) == lesson04.steps_to_vanish(0.8, 0.01)


def test_progress_shows_every_exercise_with_status_and_points(lenient):
    from anomaly_helpers.exercises import lesson00

    for q in exercises_of(lesson00.__name__).values():
        q.status = "not attempted"
    lesson00.q1.check(lesson00.ANSWERS["q1"][0]())
    lesson00.q2.check("a")
    lesson00.q3.check(lesson00.ANSWERS["q3"][0]())  # the experiment: two stars, two points
    table = lesson00.progress()
    assert [(r.key, r.status) for r in table.rows] == [("q1", "correct"), ("q2", "incorrect"), ("q3", "correct")]
    assert (table.earned, table.total) == (3, 4)
    text = repr(table)
    assert "2 of 3 exercises correct · 3 of 4 points" in text and "Exercise 0.2 (★☆☆)  incorrect" in text
    assert "<table>" in table._repr_html_() and "not attempted" not in text


# --------------------------------------------------------------------------- every lesson exercise
def _lesson_modules():
    names = [m.name for m in pkgutil.iter_modules(exercises.__path__) if re.fullmatch(r"lesson\d+", m.name)]
    return [importlib.import_module(f"anomaly_helpers.exercises.{n}") for n in sorted(names)]


def _cases(module) -> list:
    short = module.__name__.rsplit(".", 1)[1]
    answers = getattr(module, "ANSWERS", {})
    return [
        pytest.param(module, key, q, answers.get(key), id=f"{short}.{key}")
        for key, q in exercises_of(module.__name__).items()
    ]


ALL = [case for module in _lesson_modules() for case in _cases(module)]


def check_right_and_wrong(module, key: str, exercise: Exercise, answers) -> None:
    """What the suite asserts of every exercise (also used by the README walkthrough)."""
    assert answers is not None, (
        f"{module.__name__}.ANSWERS has no entry for {key} ({exercise.name}): add {key!r}: (right, wrong)."
    )
    right, wrong = answers
    assert exercise.check(...).status == "not attempted"
    assert exercise.check(right()).status == "correct", exercise.check(right())
    verdict = exercise.check(wrong())
    assert verdict.status == "incorrect" and verdict.message and not verdict.detail, verdict
    assert exercise.hints, f"{exercise.name} has no hint"


def check_solution(exercise: Exercise) -> None:
    """Execute a solution and check what it produces; its comments hold computed, not typed, numbers."""
    if isinstance(exercise, ChoiceExercise):
        letters = exercise.solution_text().split(" — ")[0]
        assert exercise.check(letters).correct, f"{exercise.name}: the solution text gives {letters!r}"
        return
    assert exercise.answer_name, f"{exercise.name}: its solution assigns no answer (end it with `name = ...`)"
    ns = exercise.run_solution()
    assert exercise.answer_name in ns, f"{exercise.name}: the solution never sets {exercise.answer_name!r}"
    verdict = exercise.check(ns[exercise.answer_name])
    assert verdict.correct, f"{exercise.name}: its solution is not accepted: {verdict}"
    shown = exercise.solution_text()
    assert "…" not in shown, f"{exercise.name}: a {{field}} of the solution's comments could not be computed"
    for tok in tokenize.generate_tokens(io.StringIO(exercise._solution).readline):
        if tok.type == tokenize.COMMENT:
            typed = re.sub(r"\{[^{}]*\}", "", tok.string)
            assert not re.search(r"\d\.\d|[=≈]\s*-?\d+\s*(?:$|[,;)])", typed), (
                f"{exercise.name}: a number typed in a solution comment ({tok.string!r}); write it as {{expression}}"
            )


@pytest.mark.parametrize(("module", "key", "exercise", "answers"), ALL)
def test_every_lesson_exercise_tells_right_from_wrong(module, key, exercise, answers, lenient):
    check_right_and_wrong(module, key, exercise, answers)


@pytest.mark.parametrize(("module", "key", "exercise", "answers"), ALL)
def test_every_exercise_can_stand_in_with_its_reference(module, key, exercise, answers, lenient, capsys):
    right, wrong = answers
    reference = exercise.use(...)
    assert "using the reference" in capsys.readouterr().out
    assert exercise.check(reference).correct, f"{exercise.name}: use() falls back to a reference that is not correct"
    answer = right()
    assert exercise.use(answer) is answer and "using your" in capsys.readouterr().out


@pytest.mark.parametrize(("module", "key", "exercise", "answers"), ALL)
def test_every_solution_runs_and_is_correct(module, key, exercise, answers, strict):
    check_solution(exercise)


def test_answers_name_no_exercise_that_does_not_exist():
    for module in _lesson_modules():
        extra = set(getattr(module, "ANSWERS", {})) - set(exercises_of(module.__name__))
        assert not extra, f"{module.__name__}.ANSWERS names exercises that do not exist: {sorted(extra)}"
        assert callable(getattr(module, "progress", None)), f"{module.__name__} has no progress()"


# --------------------------------------------------------------------------- the instructor notebooks
VERDICT = re.compile(r"(?:Exercise|Question) [\d.]+ \(★+☆*\) · (Correct|Incorrect|Not attempted)")
CHECK_CALL = re.compile(r"^[^#\n]*\.q\d+\.check\(", re.MULTILINE)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_every_stored_verdict_in_the_instructor_notebook_is_correct(lesson):
    cells = json.loads(lesson.read_text(encoding="utf-8"))["cells"]
    n_checks = 0
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        calls = len(CHECK_CALL.findall(source))
        n_checks += calls
        texts = [
            "".join(o.get("data", {}).get("text/plain", "")) + "".join(o.get("text", ""))
            for o in cell.get("outputs", [])
        ]
        verdicts = [v for t in texts for v in VERDICT.findall(t)]
        assert verdicts == ["Correct"] * calls, (
            f"{lesson.name}, cell {index}: {calls} check(s), stored verdicts {verdicts}"
        )
    if lesson.name[:2] != "00" or n_checks:
        assert n_checks, f"{lesson.name} has no checked exercise"


# --------------------------------------------------------------------------- the README walkthrough
def _readme_block(tag: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"<!-- walkthrough: {tag} -->\n```python\n(.*?)```", text, re.DOTALL)
    assert match, f"the README has no code block marked 'walkthrough: {tag}'"
    return match.group(1)


def _import_from(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_readme_walkthrough(tmp_path, lenient, monkeypatch):
    """Add an exercise and change an answer exactly as the README says; no step may surprise."""
    name = "anomaly_helpers.exercises.lesson99"
    monkeypatch.setitem(sys.modules, name, None)  # removed again when the test ends
    source = _readme_block("module")
    path = tmp_path / "lesson99.py"
    path.write_text(source, encoding="utf-8")
    module = _import_from(path, name)

    # step 3: what the suite checks of every exercise holds for the new one
    cases = _cases(module)
    assert [c.id for c in cases] == ["lesson99.q1"]
    for case in cases:
        check_right_and_wrong(*case.values)
        check_solution(case.values[2])
    assert "3.0" not in module.q1.solution_text() and "= 0.250" in module.q1.solution_text()
    assert [r.key for r in module.progress().rows] == ["q1"]

    # step 2: the exercise cell runs, and the student build replaces its solution
    cell = _readme_block("cell")
    ns = {"np": np, "ex": module, "readings": module.READINGS, "threshold": module.THRESHOLD}
    exec(cell, ns)
    assert module.q1.status == "correct"
    student = strip_solutions(cell)
    assert "np.mean" not in student and "# YOUR CODE HERE" in student
    exec(student, ns)
    assert module.q1.status == "not attempted"

    # a missing answer names the exercise
    with pytest.raises(AssertionError, match=r"ANSWERS has no entry for q1 \(Exercise 99.1"):
        check_right_and_wrong(module, "q1", module.q1, None)

    # "Change an answer": the data changes, everything computed from it follows
    old_right = module.ANSWERS["q1"][0]()
    change = _readme_block("change").strip()
    assert change.startswith("THRESHOLD = ")
    path.write_text(re.sub(r"^THRESHOLD = .*$", change, source, count=1, flags=re.MULTILINE), encoding="utf-8")
    changed = _import_from(path, name)
    assert changed.q1.check(old_right).status == "incorrect"
    for case in _cases(changed):
        check_right_and_wrong(*case.values)
        check_solution(case.values[2])
