"""The learner's working copy (``make lab``): the student versions, git-ignored, never overwritten, lessons run there."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbformat
import pytest

from anomaly_helpers.exercises.student import make_student_notebook
from tests.conftest import ROOT
from tools import workcopy
from tools.nbtools import execute_notebook

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# A string literal that names a file relative to the notebook: "../…", "..", or a folder of the repository.
VERDICT = re.compile(r"(?:Exercise|Question) [\d.]+ \(★+☆*\) · (Correct|Incorrect|Not attempted)")
RELATIVE_PATH = re.compile(r"""["'](?:\.\.(?:[/\\]|["'])|(?:data|benchmarks|notebooks|tests|anomaly_helpers)[/\\])""")


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def _in_git_checkout() -> bool:
    return shutil.which("git") is not None and _git("rev-parse", "--is-inside-work-tree").stdout.strip() == "true"


def _student_version(lesson: Path) -> dict:
    return make_student_notebook(json.loads(lesson.read_text(encoding="utf-8")), name=lesson.name)


def test_setup_copies_every_lesson_and_never_overwrites(tmp_path):
    work = tmp_path / "work"
    copied = workcopy.setup(work)
    assert [p.name for p in copied] == [p.name for p in LESSONS]
    for lesson, path in zip(LESSONS, copied, strict=True):
        mine = json.loads(path.read_text(encoding="utf-8"))
        assert mine == _student_version(lesson), f"{path.name} is not the student version `make student` writes"
        code = [c for c in mine["cells"] if c["cell_type"] == "code"]
        assert not any("### BEGIN SOLUTION" in "".join(c["source"]) for c in code), f"{path.name} holds a solution"
        assert not any(c["outputs"] for c in code), f"{path.name} keeps stored outputs"
    mine = work / LESSONS[1].name
    mine.write_text("my answers", encoding="utf-8")
    (work / LESSONS[0].name).unlink()  # e.g. a lesson added by a course update
    again = workcopy.setup(work)
    assert [p.name for p in again] == [LESSONS[0].name], "only the missing lesson is copied"
    assert mine.read_text(encoding="utf-8") == "my answers", "setup overwrote the learner's work"


def test_reset_backs_up_the_learners_file(tmp_path):
    work = tmp_path / "work"
    workcopy.setup(work)
    mine = work / LESSONS[3].name
    mine.write_text("my answers", encoding="utf-8")
    target, backup = workcopy.reset(LESSONS[3].name[:2], work)
    assert target == mine and json.loads(target.read_text(encoding="utf-8")) == _student_version(LESSONS[3])
    assert (
        backup is not None and backup.parent == work / "backups" and backup.read_text(encoding="utf-8") == "my answers"
    )
    _, second = workcopy.reset(str(int(LESSONS[3].name[:2])), work)  # "3" works as well as "03"
    assert second is not None and second != backup and backup.exists()


@pytest.mark.parametrize("lesson", ["99", "nope", ""])
def test_reset_names_an_unknown_lesson(lesson, tmp_path):
    with pytest.raises(ValueError, match=r"lesson .* pass its number"):
        workcopy.reset(lesson, tmp_path)


def test_the_working_copy_is_ignored_by_git():
    if not _in_git_checkout():
        pytest.skip("not a git checkout")
    for path in ("work/00_start_here.ipynb", "work/backups/03_x.ipynb", "build/student/00_start_here.ipynb"):
        assert _git("check-ignore", "-q", path).returncode == 0, f"{path} is not ignored by git"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_lessons_read_files_only_through_the_package(lesson):
    """A lesson that opens '../x' or 'data/x' runs only from notebooks/: use the package's loaders."""
    nb = nbformat.read(lesson, as_version=4)
    bad = [
        f"cell {i}: {line.strip()}"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if RELATIVE_PATH.search(line)
    ]
    assert not bad, (
        "read files through anomaly_helpers (data loaders, studies.load_result), not by path:\n" + "\n".join(bad)
    )


@pytest.mark.slow
def test_a_lesson_runs_in_the_working_copy_and_git_status_stays_clean():
    """As a learner works: set up the copy, "Run All" on lesson 00 before typing anything, save it (JupyterLab
    autosaves). Every check says "Not attempted", none "Correct", and git sees no change."""
    before = _git("status", "--porcelain").stdout if _in_git_checkout() else None
    parent = ROOT / "work"
    created_parent = not parent.exists()
    parent.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".suite-", dir=parent))  # inside work/, which git ignores
    try:
        workcopy.setup(work)
        path = work / LESSONS[0].name
        nb = nbformat.read(path, as_version=4)
        executed, _, _ = execute_notebook(nb, path.parent)
        errors = [o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, errors[0] if errors else None
        outputs = json.dumps(
            [c.get("outputs", []) for c in executed.cells if c.cell_type == "code"], ensure_ascii=False
        )
        verdicts = VERDICT.findall(outputs)
        assert verdicts and set(verdicts) == {"Not attempted"}, f"before any answer is typed, the checks say {verdicts}"
        assert "· Correct" not in outputs and "0 of " in outputs, "ex.progress() must report nothing correct yet"
        nbformat.write(executed, path)
        if before is not None:
            assert _git("status", "--porcelain").stdout == before, "working through a lesson changed tracked files"
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if created_parent:
            shutil.rmtree(parent, ignore_errors=True)
