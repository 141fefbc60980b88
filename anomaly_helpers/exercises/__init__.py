"""Exercises for the lessons: one module per lesson, each exercise defined in one place.

In a lesson::

    from anomaly_helpers.exercises import lesson00 as ex
    ex.q1.check(answer)     # shows "Not attempted", "Incorrect: …" or "Correct" at once
    ex.q1.hint()            # first hint; ex.q1.hint(2) for the second
    ex.q1.solution()        # the solution
    f = ex.q1.use(my_fn)    # the learner's answer once it passes, the reference otherwise
    ex.progress()           # every exercise of the lesson with its status and points

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
from anomaly_helpers.exercises.feedback import check_array, check_number, compare, short_repr
from anomaly_helpers.exercises.progress import Progress, exercises_of, progress_of

__all__ = [
    "STRICT_ENV",
    "ChoiceExercise",
    "CustomExercise",
    "Exercise",
    "FunctionExercise",
    "Incorrect",
    "Progress",
    "ValueExercise",
    "Verdict",
    "check_array",
    "check_number",
    "compare",
    "exercises_of",
    "is_placeholder",
    "progress_of",
    "short_repr",
]
