"""A pytest plugin: nbval compares a trained model's printed figures within a declared tolerance.

nbval compares a cell's text outputs exactly. That is right where the computation is exact (data,
splits, classical detectors, metrics of fixed scores, text) and wrong where a float32 training run
feeds the output: another processor rounds its matrix products differently in the last bit and
training amplifies that into the third printed decimal (the README, "Numbers on another machine").

A cell opts in with a tag:

``nbval-tolerance``
    the project rule, :data:`PROJECT_RULE` (for cells that print trained-model figures);
``nbval-tolerance=ATOL`` or ``nbval-tolerance=ATOL+RTOL%``
    its own tolerance, e.g. ``nbval-tolerance=0.05+2%`` for ROC-AUCs that may move by 0.05 (a tag
    holds no comma: nbformat's schema forbids it).

Such a cell still fails on any change of its text: its outputs are split into numbers and the text
between them (the *skeleton*), the skeletons must be identical, whole numbers (counts, sizes, epochs:
no decimal point) must be equal, and each pair of other numbers must satisfy
``|test - reference| <= ATOL + RTOL * |reference|`` (runs of spaces count as one: a table's columns
narrow when a number loses a digit). A changed word, another number of rows, a
diverged run (``inf``, ``nan``) or a figure that moved further than the tolerance fails as before.
Untagged cells are compared exactly. The plugin changes nothing else in nbval: where the numbers
agree within the tolerance, the fresh output is replaced by the stored one before nbval compares.
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass

import pytest

TAG = "nbval-tolerance"


@dataclass(frozen=True)
class Tolerance:
    """``|test - reference| <= atol + rtol * |reference|`` for every number of a cell's outputs."""

    atol: float
    rtol: float

    def __str__(self) -> str:
        return f"atol={self.atol:g}, rtol={self.rtol:g}"


#: The rule for cells tagged ``nbval-tolerance``: 1 % of the value, or 0.01 for figures near 0 (a
#: ROC-AUC of 0.710 may print 0.716 on another processor; a loss of 0.0190 may print 0.0191).
PROJECT_RULE = Tolerance(atol=0.01, rtol=0.01)

#: A number as printed: sign, digits with optional thousands separators, decimals, exponent.
NUMBER = re.compile(r"(?<![\w.])[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w])|(?<![\w])\.\d+")


#: Runs of spaces: a table's columns widen or narrow when a number gains or loses a digit.
_SPACES = re.compile(r"[ \t]+")


def tolerance_of(tags) -> Tolerance | None:
    """The tolerance a cell's tags declare, or None (exact comparison)."""
    found = None
    for tag in tags or ():
        if tag == TAG:
            found = PROJECT_RULE
        elif tag.startswith(TAG + "="):
            m = re.fullmatch(r"(\d+(?:\.\d+)?(?:e-?\d+)?)(?:\+(\d+(?:\.\d+)?)%)?", tag[len(TAG) + 1 :])
            if m is None:
                raise ValueError(
                    f"cell tag {tag!r}: write the tolerance as {TAG}=ATOL or {TAG}=ATOL+RTOL%, "
                    f"e.g. {TAG}=0.05+2% (no comma: nbformat forbids commas in tags)"
                )
            found = Tolerance(float(m.group(1)), float(m.group(2) or 0) / 100)
    return found


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("−", "-"))


def split_numbers(text: str) -> tuple[list[str], list[float]]:
    """``text`` as its skeleton (the parts between numbers) and its numbers."""
    skeleton, numbers = _split(text)
    return skeleton, [value for value, _ in numbers]


def _split(text: str) -> tuple[list[str], list[tuple[float, bool]]]:
    skeleton, numbers, last = [], [], 0
    for m in NUMBER.finditer(text):
        skeleton.append(text[last : m.start()])
        numbers.append((_number(m.group()), not re.search(r"[.eE]", m.group())))
        last = m.end()
    skeleton.append(text[last:])
    return skeleton, numbers


def compare_text(reference: str, test: str, tol: Tolerance) -> str | None:
    """None when ``test`` equals ``reference`` within ``tol``; otherwise why not, in one line."""
    if reference == test:
        return None
    ref_skeleton, ref_numbers = _split(reference)
    test_skeleton, test_numbers = _split(test)
    if [_SPACES.sub(" ", part) for part in ref_skeleton] != [_SPACES.sub(" ", part) for part in test_skeleton]:
        return "the text around the numbers differs (a tolerance covers numbers only)"
    for (r, r_whole), (t, t_whole) in zip(ref_numbers, test_numbers, strict=True):
        if r_whole and t_whole:
            if r != t:
                return f"{t:g} where {r:g} is stored: whole numbers (counts) must be equal"
        elif not math.isclose(t, r, rel_tol=0, abs_tol=tol.atol + tol.rtol * abs(r)):
            return f"{t:g} where {r:g} is stored: further than the cell's tolerance ({tol})"
    return None


def _texts(outputs):
    """(output index, key) -> text, for every text field nbval compares."""
    found = {}
    for i, out in enumerate(outputs):
        if out.get("output_type") == "stream":
            found[(i, "text")] = out.get("text", "")
        for key, value in (out.get("data") or {}).items():
            if isinstance(value, str) and (key.startswith("text/") or key.endswith(("+json", "/json"))):
                found[(i, key)] = value
    return found


def snap_outputs(test, reference, tol: Tolerance, sanitize=lambda s: s):
    """A copy of ``test`` whose texts that agree with ``reference`` within ``tol`` are the reference's.

    Returns ``(outputs, reasons)``: reasons lists, per text that differs beyond the tolerance, why.
    Outputs are matched by position and kind, as nbval matches them after merging streams.
    """
    test = copy.deepcopy(list(test))
    ref_texts = _texts(reference)
    reasons = []
    for (i, key), test_text in _texts(test).items():
        if (i, key) not in ref_texts or reference[i].get("output_type") != test[i].get("output_type"):
            continue
        ref_text = ref_texts[(i, key)]
        why = compare_text(sanitize(ref_text), sanitize(test_text), tol)
        if why is None:
            if key == "text":
                test[i]["text"] = ref_text
            else:
                test[i]["data"][key] = ref_text
        else:
            reasons.append(f"{key}: {why}")
    return test, reasons


def _install() -> None:
    from nbval.plugin import IPyNbCell

    if getattr(IPyNbCell.compare_outputs, "_with_tolerance", False):
        return
    exact = IPyNbCell.compare_outputs

    def compare_outputs(self, test, ref, skip_compare=None):
        tol = tolerance_of(self.cell.get("metadata", {}).get("tags"))
        if tol is None:
            return exact(self, test, ref, skip_compare)
        snapped, reasons = snap_outputs(test, ref, tol, self.sanitize)
        same = exact(self, snapped, ref, skip_compare)
        if not same and reasons:
            self.comparison_traceback.append("tolerance: " + "; ".join(reasons))
        return same

    compare_outputs._with_tolerance = True
    IPyNbCell.compare_outputs = compare_outputs


@pytest.hookimpl
def pytest_configure(config):
    _install()
