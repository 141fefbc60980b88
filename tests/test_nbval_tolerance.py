"""The suite's nbval tolerance plugin (tests/nbval_tolerance.py): what it lets through and what it never does."""

from __future__ import annotations

import pytest
from nbformat.v4 import new_output

from tests.nbval_tolerance import PROJECT_RULE, Tolerance, compare_text, snap_outputs, split_numbers, tolerance_of

TIGHT = Tolerance(atol=0.005, rtol=0.0)


def test_tags_declare_the_tolerance():
    assert tolerance_of(None) is None
    assert tolerance_of(["nbval-ignore-output"]) is None
    assert tolerance_of(["nbval-tolerance"]) == PROJECT_RULE
    assert tolerance_of(["nbval-tolerance=0.02+0.1%"]) == Tolerance(0.02, 0.001)
    assert tolerance_of(["nbval-tolerance=0.1"]) == Tolerance(0.1, 0.0)


@pytest.mark.parametrize(
    "tag", ["nbval-tolerance=0.02,0", "nbval-tolerance=a", "nbval-tolerance=-1", "nbval-tolerance=0.1+2"]
)
def test_a_malformed_tag_is_an_error_that_says_how_to_write_it(tag):
    with pytest.raises(ValueError, match="nbval-tolerance"):
        tolerance_of([tag])


def test_numbers_are_read_as_printed():
    skeleton, numbers = split_numbers("ROC-AUC 0.710, 1,169 rows, loss 2.59e+06, conv2d_1 at epoch 30\n")
    assert numbers == [0.71, 1169.0, 2.59e6, 30.0]
    assert skeleton == ["ROC-AUC ", ", ", " rows, loss ", ", conv2d_1 at epoch ", "\n"]


def test_numbers_within_the_tolerance_agree():
    assert compare_text("plain conv AE, test ROC-AUC 0.710\n", "plain conv AE, test ROC-AUC 0.712\n", TIGHT) is None
    assert compare_text("<td>0.710</td><td>12</td>", "<td>0.714</td><td>12</td>", TIGHT) is None
    assert compare_text("  0.02  0.710\n", "  0.021 0.710\n", TIGHT) is None  # a column one digit wider


@pytest.mark.parametrize(
    ("stored", "fresh", "why"),
    [
        ("ROC-AUC 0.710\n", "ROC-AUC 0.720\n", "further than"),  # a trained figure moved beyond its tolerance
        ("found 12 of 16\n", "found 11 of 16\n", "whole numbers"),  # a count must be equal
        ("the loss jumps around\n", "the loss grows around\n", "text around the numbers"),  # a changed word
        ("loss 0.9785\n", "loss inf\n", "text around the numbers"),  # a diverged run
        ("rows: 1, 2\n", "rows: 1, 2, 3\n", "text around the numbers"),  # another number of values
    ],
    ids=["moved", "count", "word", "diverged", "more-values"],
)
def test_any_other_change_still_fails(stored, fresh, why):
    assert why in compare_text(stored, fresh, TIGHT)


def test_snapping_replaces_only_the_texts_that_agree():
    stored = [
        new_output("stream", name="stdout", text="ROC-AUC 0.710\n"),
        new_output(
            "execute_result", data={"text/plain": "loss 0.5", "text/html": "<b>loss 0.5</b>"}, execution_count=1
        ),
    ]
    fresh = [
        new_output("stream", name="stdout", text="ROC-AUC 0.713\n"),
        new_output(
            "execute_result", data={"text/plain": "loss 0.7", "text/html": "<b>loss 0.5</b>"}, execution_count=1
        ),
    ]
    snapped, reasons = snap_outputs(fresh, stored, TIGHT)
    assert snapped[0]["text"] == "ROC-AUC 0.710\n"
    assert snapped[1]["data"]["text/plain"] == "loss 0.7"  # beyond the tolerance: left for nbval to report
    assert len(reasons) == 1 and reasons[0].startswith("text/plain")
    assert fresh[0]["text"] == "ROC-AUC 0.713\n"  # the fresh outputs themselves are not changed
