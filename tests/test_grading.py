"""Grading with nbgrader: the lessons carry nbgrader's metadata, nbgrader's default steps accept them,
the student build agrees with nbgrader's, and one command grades a folder of submissions.

nbgrader runs offline here, with its own sqlite gradebook in a temporary course directory.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from anomaly_helpers.exercises.student import make_student_notebook
from tools import grading

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

pytest.importorskip("nbgrader", reason="nbgrader is in the course's install set; run `make test` to install it")
pytestmark = pytest.mark.slow


def _code(nb: dict) -> list[str]:
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
        if c["cell_type"] == "code"
    ]


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_every_lesson_carries_nbgrader_metadata(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    again = grading.annotate_notebook(copy.deepcopy(nb), path.name[:2], path.name)
    assert again == nb, (
        f"{path.name} is not annotated as nbgrader needs it (or its points changed): "
        "run `make execute NOTEBOOKS=...` (it annotates before executing)"
    )
    answers = [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    checks = [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    assert len(answers) == len(checks) >= 1


def test_annotate_splits_the_check_from_the_answer():
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "id": "a",
                "metadata": {},
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "Correct"}],
                "execution_count": 3,
                "source": 'answer = ...\n### BEGIN SOLUTION\nanswer = "b"\n### END SOLUTION\nex.q2.check(answer)\n',
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    out = grading.annotate_notebook(nb, "00")
    answer, check = out["cells"]
    assert answer["source"].endswith("### END SOLUTION") and answer["outputs"] == []
    assert check["source"] == "ex.q2.check(answer)" and check["outputs"][0]["text"] == "Correct"
    assert answer["metadata"]["nbgrader"]["solution"] and not answer["metadata"]["nbgrader"]["grade"]
    assert check["metadata"]["nbgrader"]["grade"] and check["metadata"]["nbgrader"]["points"] >= 1


def test_annotate_refuses_marker_text_outside_an_answer():
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "write your code between ### BEGIN SOLUTION and ..."}
        ]
    }
    with pytest.raises(grading.AnnotateError, match="nbgrader reads as a solution marker"):
        grading.annotate_notebook(nb, "00")


def _course(tmp_path: Path, lessons: list[Path]) -> Path:
    course = tmp_path / "course"
    course.mkdir()
    grading._prepare_course(course, {p.stem: p for p in lessons}, timeout=60)
    return course


def test_nbgrader_generate_assignment_accepts_every_lesson_with_default_settings(tmp_path):
    # One assignment holding every lesson: one nbgrader run (default enforce_metadata=True).
    course = tmp_path / "course"
    source = course / "source" / "course"
    source.mkdir(parents=True)
    for p in LESSONS:
        grading.write_source(p, source / p.name)
    grading._prepare_course(course, {}, timeout=60)
    done = grading._nbgrader(["generate_assignment", "course", "--force"], course, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    for p in LESSONS:
        release = json.loads((course / "release" / "course" / p.name).read_text(encoding="utf-8"))
        student = make_student_notebook(json.loads(p.read_text(encoding="utf-8")), p.name)
        assert _code(release) == _code(student), f"{p.name}: the student build and nbgrader's release differ"
        assert not any("### BEGIN SOLUTION" in c for c in _code(release))


MINI = [
    ("markdown", "# 00 · Grading demo"),
    (
        "code",
        "from anomaly_helpers.exercises import lesson00 as ex\nfrom anomaly_helpers.exercises.lesson00 import ANSWERS",
    ),
    (
        "code",
        "prevalence = ...\n### BEGIN SOLUTION\nprevalence = ANSWERS['q1'][0]()\n### END SOLUTION\nex.q1.check(prevalence)",
    ),
    ("code", 'answer = ...\n### BEGIN SOLUTION\nanswer = "b"\n### END SOLUTION\nex.q2.check(answer)'),
]


def _mini_lesson(folder: Path) -> Path:
    cells = []
    for i, (kind, text) in enumerate(MINI):
        cell = {"cell_type": kind, "id": f"c{i}", "metadata": {}, "source": text}
        if kind == "code":
            cell.update(outputs=[], execution_count=None)
        cells.append(cell)
    nb = {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = folder / "00_grading_demo.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    grading.annotate_file(path)
    return path


def test_grade_a_folder_of_submissions(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    lesson = _mini_lesson(notebooks)
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    subs = tmp_path / "submissions"

    def submit(student: str, content: str) -> None:
        (subs / student).mkdir(parents=True)
        (subs / student / lesson.name).write_text(content, encoding="utf-8")

    submit("ada", json.dumps(nb))  # correct
    wrong = copy.deepcopy(nb)
    for cell in wrong["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "q2-answer":
            cell["source"] = 'answer = ...\nanswer = "a"'
    submit("bo", json.dumps(wrong))  # partly wrong
    submit("cy", '{"cells": [ not json')  # broken: does not parse
    raising = copy.deepcopy(nb)
    raising["cells"][1]["source"] = "raise RuntimeError('my setup is broken')"
    submit("di", json.dumps(raising))  # broken: raises
    endless = copy.deepcopy(nb)
    for cell in endless["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "q1-answer":
            cell["source"] = "prevalence = ...\nwhile True:\n    pass"
    submit("ed", json.dumps(endless))  # never ends

    out = tmp_path / "grades.csv"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "grading.py"),
            "grade",
            str(subs),
            "--out",
            str(out),
            "--timeout",
            "20",
            "--notebooks",
            str(notebooks),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {(r["student"], r["exercise"]): r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert {k: r["status"] for k, r in rows.items() if k[0] == "ada"} == {
        ("ada", "q1"): "correct",
        ("ada", "q2"): "correct",
    }
    assert rows[("bo", "q1")]["status"] == "correct" and rows[("bo", "q2")]["status"] == "incorrect"
    assert rows[("bo", "q2")]["points"] == "0"
    assert rows[("cy", "q1")]["status"] == "unreadable notebook"
    assert rows[("di", "q1")]["status"].startswith("not graded") and rows[("di", "q1")]["points"] == "0"
    assert "timed out" in rows[("ed", "q1")]["status"] and rows[("ed", "q1")]["points"] == "0"
    assert rows[("ed", "q2")]["status"] == "correct", "a cell that never ends must not stop the rest of the lesson"
    summary = {r["student"]: r for r in csv.DictReader(out.with_name("grades_summary.csv").open(encoding="utf-8"))}
    assert summary["ada"]["points"] == summary["ada"]["max_points"]
    assert summary["cy"]["problems"]
    assert "RuntimeError: my setup is broken" in summary["di"]["problems"]


def _run_grade(subs: Path, out: Path, notebooks: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "grading.py"), "grade", str(subs), "--out", str(out),
         "--timeout", "20", "--notebooks", str(notebooks)],
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip


def test_grading_prints_progress_and_names_a_broken_submission_once(tmp_path):
    """Two students, one with a typo in the set-up import: a line per student, the cause said once."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    lesson = _mini_lesson(notebooks)
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    subs = tmp_path / "submissions"
    for student in ("ada", "bo"):
        (subs / student).mkdir(parents=True)
    (subs / "ada" / lesson.name).write_text(json.dumps(nb), encoding="utf-8")
    typo = copy.deepcopy(nb)
    setup = "".join(typo["cells"][1]["source"])
    typo["cells"][1]["source"] = setup.replace("exercises import", "exercise import", 1)
    (subs / "bo" / lesson.name).write_text(json.dumps(typo), encoding="utf-8")

    out = tmp_path / "grades" / "grades.csv"
    done = _run_grade(subs, out, notebooks)
    assert done.returncode == 0, done.stderr[-3000:]
    progress = re.findall(r"^\[(\d)/2\] (\w+) · 00_grading_demo: .*points", done.stdout, re.M)
    assert progress == [("1", "ada"), ("2", "bo")], done.stdout
    cause = "cell 2 (`from anomaly_helpers.exercise import lesson00 as ex`) raised ModuleNotFoundError: No module named"
    assert done.stdout.count(cause) == 1 and done.stdout.count("ModuleNotFoundError") == 1, done.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    bo = [r["status"] for r in rows if r["student"] == "bo"]
    assert bo and all(s.startswith("not graded") for s in bo), bo
    summary = {r["student"]: r for r in csv.DictReader(out.with_name("grades_summary.csv").open(encoding="utf-8"))}
    assert summary["bo"]["problems"].count("ModuleNotFoundError") == 1, summary["bo"]["problems"]
    assert not summary["ada"]["problems"] and summary["ada"]["points"] == summary["ada"]["max_points"]


def test_grades_go_to_a_git_ignored_folder_by_default():
    assert grading.DEFAULT_OUT == ROOT / "build" / "grades" / "grades.csv"
    assert "GRADES ?= build/grades/grades.csv" in (ROOT / "Makefile").read_text(encoding="utf-8")
    git = shutil.which("git")
    if git is None or subprocess.run([git, "rev-parse"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    for path in ("build/grades/grades.csv", "build/grades/grades_summary.csv"):
        ignored = subprocess.run([git, "check-ignore", "-q", path], cwd=ROOT, capture_output=True)
        assert ignored.returncode == 0, f"{path} is not ignored by git: student data could be committed"
