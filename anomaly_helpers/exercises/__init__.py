"""Exercises for the lessons: one module per lesson, each exercise defined in one place.

In a lesson::

    from anomaly_helpers.exercises import lesson00 as ex
    ex.q1.check(answer)     # displays "not attempted", "incorrect: …" or "correct"
    ex.q1.hint()            # first hint; ex.q1.hint(2) for the second
    ex.q1.solution()        # the solution

How to add or change an exercise is described in ``anomaly_helpers/exercises/README.md``.
"""

from anomaly_helpers.exercises.core import (
    STRICT_ENV,
    ChoiceExercise,
    CustomExercise,
    Exercise,
    FunctionExercise,
    Incorrect,
    ValueExercise,
    Verdict,
    is_placeholder,
)

__all__ = [
    "STRICT_ENV",
    "ChoiceExercise",
    "CustomExercise",
    "Exercise",
    "FunctionExercise",
    "Incorrect",
    "ValueExercise",
    "Verdict",
    "is_placeholder",
]
