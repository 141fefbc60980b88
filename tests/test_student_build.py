"""The student build: markers replaced, outputs dropped, and every student notebook runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from anomaly_helpers.exercises.student import MarkerError, build_student_notebooks, strip_solutions
from tests.conftest import ROOT, simulated_env
from tools.nbtools import LESSON_ENV, execute_notebook

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
VERDICT = re.compile(r"(?:Exercise|Question) [\d.]+ \(★+☆*\) · (Correct|Incorrect|Not attempted)")


def test_top_level_region_becomes_a_comment():
    src = "answer = ...\n### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION\nq.check(answer)\n"
    assert strip_solutions(src) == "answer = ...\n# YOUR CODE HERE\nq.check(answer)\n"


def test_region_in_a_function_keeps_the_docstring_and_the_body_valid():
    src = 'def f(x):\n    """Add one."""\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION\n'
    out = strip_solutions(src)
    assert "return x + 1" not in out
    assert out == 'def f(x):\n    """Add one."""\n    # YOUR CODE HERE\n'
    namespace: dict = {}
    exec(compile(out, "<student>", "exec"), namespace)
    assert namespace["f"](1) is None  # the check reports "not attempted" for a body that does nothing


@pytest.mark.parametrize(
    "src",
    [
        "### BEGIN SOLUTION\nx = 1\n",
        "x = 1\n### END SOLUTION\n",
        "### BEGIN SOLUTION\n### BEGIN SOLUTION\nx=1\n### END SOLUTION\n### END SOLUTION\n",
    ],
    ids=["unclosed", "never-opened", "nested"],
)
def test_unbalanced_markers_fail_with_the_cell_named(src):
    with pytest.raises(MarkerError, match="lesson.ipynb, cell 3"):
        strip_solutions(src, where="lesson.ipynb, cell 3")


def test_build_rejects_a_missing_folder(tmp_path):
    with pytest.raises(ValueError, match="src"):
        build_student_notebooks(tmp_path / "nope", tmp_path / "out")


def test_command_line_build_fails_on_unbalanced_markers(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n")])
    nbformat.write(nb, src / "01_bad.ipynb")
    run = subprocess.run(
        [sys.executable, "-m", "anomaly_helpers.exercises.student", str(src), str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1 and "never closed" in run.stderr


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    """The student build in the layout ``make student`` writes (``build/student/``), outside the course."""
    out = tmp_path_factory.mktemp("course") / "build" / "student"
    build_student_notebooks(ROOT / "notebooks", out)
    return out


def test_make_student_writes_to_build_student():
    makefile = (ROOT / "Makefile").read_text()
    assert "STUDENT_DIR ?= build/student" in makefile
    assert "anomaly_helpers.exercises.student notebooks $(STUDENT_DIR)" in makefile


def _runs_and_every_check_is_not_attempted(lesson, student_dir):
    path = student_dir / lesson.name
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "### BEGIN SOLUTION" not in code and "### END SOLUTION" not in code
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    # It must run where the build writes it (a teacher hands out that folder), not next to the lessons:
    # every file is read through the package (tests/test_workcopy.py checks no lesson uses a relative path).
    assert path.parent.parts[-2:] == ("build", "student") and ROOT not in path.parents
    # As a learner on another processor runs it (tests/conftest.py: SIMULATED_ISA), one minute per cell at most.
    executed, _, _ = execute_notebook(
        nb, path.parent, timeout=60, env={**LESSON_ENV, **simulated_env("student builds")}
    )
    outputs = json.dumps([c.get("outputs", []) for c in executed.cells if c.cell_type == "code"], ensure_ascii=False)
    assert '"output_type": "error"' not in outputs
    verdicts = VERDICT.findall(outputs)
    reference = json.dumps(
        [c.get("outputs", []) for c in json.loads(lesson.read_text())["cells"] if c["cell_type"] == "code"],
        ensure_ascii=False,
    )
    expected = VERDICT.findall(reference)
    assert expected, f"{lesson.name} stores no exercise verdicts"
    assert verdicts and set(verdicts) == {"Not attempted"}, verdicts
    assert len(verdicts) == len(expected), "every check of the lesson must report 'Not attempted'"


class _StudentLesson:
    """One class per lesson, so that ``--dist loadscope`` spreads the executions over the workers."""

    lesson: Path

    @pytest.mark.slow
    def test_student_notebook_runs_and_every_check_is_not_attempted(self, student_dir):
        _runs_and_every_check_is_not_attempted(self.lesson, student_dir)


for _lesson in LESSONS:
    globals()[f"TestStudentLesson{_lesson.name[:2]}"] = type(
        f"TestStudentLesson{_lesson.name[:2]}", (_StudentLesson,), {"lesson": _lesson}
    )
