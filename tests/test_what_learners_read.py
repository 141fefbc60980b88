"""What a learner reads in a verdict: Markdown rendered, messages whole, the best verdict kept, no "Correct." on a
wrong answer."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import anomaly_helpers.exercises as exercises
from anomaly_helpers.exercises import STRICT_ENV, ChoiceExercise, FunctionExercise, ValueExercise
from anomaly_helpers.exercises.display import markdown_inline
from anomaly_helpers.exercises.progress import exercises_of, progress_of


@pytest.fixture(autouse=True)
def lenient(monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)


def _lesson_modules():
    names = [m.name for m in pkgutil.iter_modules(exercises.__path__) if re.fullmatch(r"lesson\d+", m.name)]
    return [importlib.import_module(f"anomaly_helpers.exercises.{n}") for n in sorted(names)]


# --------------------------------------------------------------------------- Markdown in the HTML verdict
def test_verdict_html_renders_the_messages_markdown():
    q = ChoiceExercise("Question 9.9 (★☆☆)", answer="b", choices=["a", "b"], why_not={"a": "a *normal* row, `x`."})
    verdict = q.check("a")
    html = verdict._html()
    assert "<em>normal</em>" in html and "<code>x</code>" in html
    assert "*normal*" not in html and "`x`" not in html
    assert "*normal*" in verdict._text() and "`x`" in verdict._text(), "text/plain keeps the plain text"


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("**strong** and *em*", "<strong>strong</strong> and <em>em</em>"),
        ("`a*b*c` stays code", "<code>a*b*c</code> stays code"),
        ("2 * x * 3", "2 * x * 3"),
        ("<script>alert(1)</script> `<b>`", "&lt;script&gt;alert(1)&lt;/script&gt; <code>&lt;b&gt;</code>"),
        ("snake_*case*_name", "snake_*case*_name"),
    ],
)
def test_markdown_inline_is_small_and_safe(text, html):
    assert markdown_inline(text) == html


# --------------------------------------------------------------------------- progress keeps the best verdict
def test_progress_keeps_the_best_verdict(monkeypatch):
    module = type(importlib)("lesson_demo_progress")
    module.__doc__ = "Exercises of lesson 98 · Demo."
    module.q1 = ValueExercise("Exercise 98.1 (★☆☆)", expected=2.0)
    module.q2 = ValueExercise("Exercise 98.2 (★★☆)", expected=3.0)
    monkeypatch.setitem(__import__("sys").modules, module.__name__, module)
    progress = progress_of(module.__name__)

    module.q1.check(2.0)
    module.q1.check(5.0)  # a later wrong try
    module.q2.check(1.0)
    module.q2.check(...)  # back to the placeholder
    table = progress()
    rows = {r.key: r for r in table.rows}
    assert rows["q1"].status == "correct" and rows["q1"].earned == 1, "a wrong try undid a correct answer"
    assert rows["q1"].latest == "incorrect" and "last try: incorrect" in table._text()
    assert rows["q2"].status == "incorrect" and rows["q2"].earned == 0
    assert table.earned == 1 and module.q1.status == "incorrect", "`status` stays the latest verdict"


# --------------------------------------------------------------------------- no truncated message
def test_an_exception_in_the_learners_function_is_shown_by_its_whole_first_line():
    long_line = "the input must be a 2-D array of shape (time steps, features) " + "and more words " * 12 + "END"

    def broken(x):
        raise ValueError(long_line + "\nsecond line of context")

    q = FunctionExercise("Exercise 97.1 (★☆☆)", reference=lambda x: x, cases=[(1.0,)])
    message = q.check(broken).message
    assert f"raised ValueError: {long_line}" in message, message
    assert "…" not in message and "second line" not in message


# --------------------------------------------------------------------------- no "Correct." on a wrong answer
CHOICES = [
    pytest.param(q, id=f"{module.__name__.rsplit('.', 1)[1]}.{key}")
    for module in _lesson_modules()
    for key, q in exercises_of(module.__name__).items()
    if isinstance(q, ChoiceExercise) and q.choices
]


@pytest.mark.parametrize("q", CHOICES)
def test_no_wrong_option_reads_correct(q):
    """Every wrong option of every choice question: "Incorrect", and its message never says "Correct."."""
    assert CHOICES, "no choice exercises found"
    for option in q.choices:
        if option in q._answer:
            continue
        verdict = q._evaluate(option)
        assert verdict.status == "incorrect", f"{q.name}: option {option!r} is not reported incorrect"
        assert not re.search(r"\bcorrect[.!]?\s*$", verdict.message, re.I), (
            f"{q.name}: the message for the wrong option {option!r} ends in 'correct' inside a red box: "
            f"{verdict.message!r}; reword it (e.g. 'so this line is right')"
        )
