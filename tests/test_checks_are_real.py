"""The suite's notebook checks can fail: an altered stored output, a wrong reference solution and a trained
figure moved beyond its tolerance are caught."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from tests.conftest import ROOT
from tools.nbtools import execute_notebook

LESSON = ROOT / "notebooks" / "00_start_here.ipynb"


def _source(cell):
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def _ignored(cell) -> bool:
    """True when nbval does not compare the cell's outputs (its tag ``nbval-ignore-output``)."""
    return "nbval-ignore-output" in cell.get("metadata", {}).get("tags", [])


def _compared_code_cells(nb):
    """(index among code cells, cell) for every code cell whose outputs nbval compares."""
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    return [(i, c) for i, c in enumerate(code) if not _ignored(c)]


def _alter(text: str) -> str:
    """Change the first digit (or else letter) of ``text``: a one-character change."""
    i = next((i for i, ch in enumerate(text) if ch.isdigit()), None)
    if i is None:
        i = next(i for i, ch in enumerate(text) if ch.isalpha())
    return text[:i] + ("1" if text[i] != "1" else "2") + text[i + 1 :]


def _mutate(nb, output_type: str) -> int:
    """Alter one character of the first compared output of ``output_type``; return its nbval cell number."""
    for number, cell in _compared_code_cells(nb):
        for out in cell.get("outputs", []):
            if output_type == "stream" and out["output_type"] == "stream" and "".join(out["text"]).strip():
                out["text"] = _alter("".join(out["text"]))
                return number
            if output_type == "execute_result" and out["output_type"] == "execute_result":
                out["data"]["text/plain"] = _alter("".join(out["data"]["text/plain"]))
                return number
    pytest.fail(f"lesson 00 has no compared {output_type} output to alter")


@pytest.mark.slow
def test_nbval_passes_an_unaltered_copy_and_fails_exactly_at_an_altered_output(tmp_path):
    """Control: an unaltered copy passes. Altering one character of a stream or of an
    ``execute_result`` fails that cell and no other."""
    original = json.loads(LESSON.read_text(encoding="utf-8"))
    changed_cell = {"control": None}
    for name in ("control", "stream", "execute_result"):
        nb = json.loads(json.dumps(original))
        if name != "control":
            changed_cell[name] = _mutate(nb, name)
        (tmp_path / f"{name}.ipynb").write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rA",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "--rootdir",
            str(tmp_path),
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(ROOT / "tests" / "nbval_sanitize.cfg"),
            *(str(tmp_path / f"{name}.ipynb") for name in changed_cell),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    failed = set(re.findall(r"^FAILED (\w+)\.ipynb::Cell (\d+)", run.stdout, flags=re.M))
    passed = re.findall(r"^PASSED (\w+)\.ipynb::Cell", run.stdout, flags=re.M)
    expected = {(name, str(cell)) for name, cell in changed_cell.items() if cell is not None}
    assert failed == expected, run.stdout[-3000:]
    assert passed.count("control") == len(_compared_code_cells(original)) + sum(
        _ignored(c) for c in original["cells"] if c["cell_type"] == "code"
    ), run.stdout[-3000:]
    assert "mismatch" in run.stdout.lower()


@pytest.mark.slow
def test_a_wrong_reference_solution_fails_the_run():
    nb = nbformat.read(LESSON, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "code" and "### BEGIN SOLUTION" in cell.source and "y.mean()" in cell.source:
            cell.source = cell.source.replace("y.mean()", "y.sum()")
            changed = True
    assert changed, "lesson 00's exercise solution was not found"
    with pytest.raises(CellExecutionError, match="Incorrect"):
        execute_notebook(nb, LESSON.parent)


# Cells of a small notebook: (source, tags, the stdout stored as the reference, expected outcome).
TOLERANCE_CASES = {
    "within_tolerance": ('print("ROC-AUC 0.712")', ["nbval-tolerance"], "ROC-AUC 0.710\n", "PASSED"),
    "moved_beyond_it": ('print("ROC-AUC 0.760")', ["nbval-tolerance"], "ROC-AUC 0.710\n", "FAILED"),
    "changed_word": ('print("the loss grows, 0.71")', ["nbval-tolerance"], "the loss jumps, 0.71\n", "FAILED"),
    "changed_count": ('print("found 12 of 16")', ["nbval-tolerance"], "found 13 of 16\n", "FAILED"),
    "exact_cell_moved": ('print("ROC-AUC 0.712")', [], "ROC-AUC 0.710\n", "FAILED"),
    "own_tolerance": ('print("ROC-AUC 0.740")', ["nbval-tolerance=0.05"], "ROC-AUC 0.710\n", "PASSED"),
}


@pytest.mark.slow
def test_the_tolerance_covers_trained_figures_and_nothing_else(tmp_path):
    """A tagged cell passes when its figures moved within the tolerance; a moved figure beyond it, a
    changed word, a changed count and any change in an untagged cell still fail."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for count, (source, tags, stored, _) in enumerate(TOLERANCE_CASES.values(), start=1):
        cell = nbformat.v4.new_code_cell(source, execution_count=count)
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored)]
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nbformat.write(nb, tmp_path / "tolerance.ipynb")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "-p", "tests.nbval_tolerance",
         "-o", "addopts=", "--rootdir", str(tmp_path), "--nbval", "--nbval-current-env", str(tmp_path / "tolerance.ipynb")],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    outcomes = {
        cell: status
        for status, cell in re.findall(r"^(PASSED|FAILED) tolerance\.ipynb::Cell (\d+)", run.stdout, flags=re.M)
    }
    expected = {str(i): case[3] for i, case in enumerate(TOLERANCE_CASES.values())}
    assert outcomes == expected, run.stdout[-3000:]
    assert "further than the cell's tolerance" in run.stdout and "whole numbers (counts) must be equal" in run.stdout
