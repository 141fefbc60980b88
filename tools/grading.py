"""Grading with nbgrader: the lessons' nbgrader metadata, and one command that grades a folder.

Usage (from the repository root)::

    python tools/grading.py annotate [NOTEBOOK ...]     # give exercise cells nbgrader's metadata (idempotent)
    python tools/grading.py grade SUBMISSIONS [--out build/grades/grades.csv] [--timeout 60]

``annotate`` makes every lesson usable by nbgrader with its default settings: each exercise's
answer cell (the one holding ``### BEGIN SOLUTION`` / ``### END SOLUTION``) becomes an
"autograded answer" cell, and its check (``ex.qN.check(...)``) moves to a cell of its own, an
"autograder tests" cell carrying the exercise's points (read from the lesson's exercise
module). ``make execute`` runs it before executing the lessons, so the stored notebooks always
carry it.

``grade`` takes a folder with one sub-folder per student, each holding that student's lesson
notebooks (``SUBMISSIONS/<student>/NN_*.ipynb``), runs nbgrader's ``generate_assignment`` and
``autograde`` in a temporary course directory with its own sqlite gradebook (offline), and
writes a CSV with one row per student, lesson and exercise (points, max points, status) and a
second CSV with one row per student. A submission that cannot be read, raises, or never ends
is reported for that student; it never stops the run.

While it runs, it prints a line per student and lesson (about 20 s each), with the score and,
for a submission that breaks (a typo in its set-up import, say), the cause once: the cell and
the first line of its error; the exercises after it read "not graded" instead of repeating it.
The CSVs go to ``build/grades/`` by default, which git ignores: student data never lands in
a commit by accident.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Where ``grade`` writes by default: inside ``build/``, which git ignores (``GRADES=`` in ``make grade`` changes it).
DEFAULT_OUT = ROOT / "build" / "grades" / "grades.csv"
#: The errors by which a check reports its verdict while nbgrader grades (anything else is a broken cell).
VERDICT_ERRORS = ("NotAttempted", "Incorrect", "AssertionError")
LESSON_NAME = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")
CHECK_LINE = re.compile(r"^\s*ex\.(q\w+)\.check\(.*\)\s*;?\s*$")
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
# The same placeholder the course's student build writes (anomaly_helpers.exercises.student).
CODE_STUB = "# YOUR CODE HERE"

sys.path.insert(0, str(ROOT))


class AnnotateError(ValueError):
    """A lesson cannot be given nbgrader metadata as it is written."""


def _text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _points(lesson: str, exercise: str) -> float:
    import importlib

    try:
        module = importlib.import_module(f"anomaly_helpers.exercises.lesson{lesson}")
    except ModuleNotFoundError:
        return 1.0
    ex = getattr(module, exercise, None)
    return float(getattr(ex, "points", 1) or 1)


def _meta(grade_id: str, *, solution: bool, points: float | None = None) -> dict:
    meta = {
        "grade": points is not None,
        "grade_id": grade_id,
        "locked": points is not None,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return meta


def _split_check(source: str) -> tuple[str, str]:
    """Split a cell's source into (answer part, trailing check lines)."""
    lines = source.rstrip("\n").split("\n")
    cut = len(lines)
    while cut > 0 and (CHECK_LINE.match(lines[cut - 1]) or not lines[cut - 1].strip()):
        cut -= 1
    answer = "\n".join(lines[:cut]).rstrip("\n")
    check = "\n".join(x for x in lines[cut:] if x.strip())
    return answer, check


def _new_code_cell(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def annotate_notebook(nb: dict, lesson: str, name: str = "notebook") -> dict:
    """Return ``nb`` with exercise cells split into answer and check cells and nbgrader metadata set.

    Raises
    ------
    AnnotateError
        If a non-exercise cell contains the solution markers' text (nbgrader would treat it as a
        solution region), or an answer cell has no check after it.
    """
    cells: list[dict] = []
    for index, cell in enumerate(nb.get("cells", [])):
        text = _text(cell)
        cell.get("metadata", {}).pop("nbgrader", None)
        if cell.get("cell_type") != "code":
            if "BEGIN SOLUTION" in text or "END SOLUTION" in text:
                raise AnnotateError(
                    f"{name}, cell {index}: the text contains 'BEGIN SOLUTION' or 'END SOLUTION', which nbgrader "
                    "reads as a solution marker in any cell; write it differently (e.g. 'BEGIN&nbsp;SOLUTION')."
                )
            cells.append(cell)
            continue
        if BEGIN in text:
            answer, check = _split_check(text)
            if check:  # leave an already split cell exactly as it is (idempotent)
                cell["source"] = answer
            cells.append(cell)
            if check:
                check_cell = _new_code_cell(check)
                check_cell["id"] = f"{CHECK_LINE.match(check.split(chr(10))[0]).group(1)}-check"
                check_cell["outputs"], cell["outputs"] = cell.get("outputs", []), []
                check_cell["execution_count"] = cell.get("execution_count")
                cells.append(check_cell)
            continue
        cells.append(cell)
    nb["cells"] = cells
    _set_metadata(nb, lesson, name)
    return nb


def _set_metadata(nb: dict, lesson: str, name: str) -> None:
    pending: dict | None = None
    used: set[str] = set()
    for index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "code":
            continue
        text = _text(cell)
        checks = [CHECK_LINE.match(x).group(1) for x in text.split("\n") if CHECK_LINE.match(x)]
        if BEGIN in text:
            pending = cell
            continue
        if checks and all(CHECK_LINE.match(x) for x in text.split("\n") if x.strip()):
            exercise = checks[0]
            grade_id = f"{exercise}-check"
            if grade_id in used:
                raise AnnotateError(f"{name}, cell {index}: {exercise} is checked twice; keep one check cell.")
            used.add(grade_id)
            points = sum(_points(lesson, q) for q in checks)
            cell.setdefault("metadata", {})["nbgrader"] = _meta(grade_id, solution=False, points=points)
            if pending is not None:
                pending.setdefault("metadata", {})["nbgrader"] = _meta(f"{exercise}-answer", solution=True)
                pending = None
    if pending is not None:
        raise AnnotateError(f"{name}: an answer cell has no check cell (`ex.qN.check(...)`) after it.")


def annotate_file(path: Path) -> bool:
    """Annotate one lesson file in place; return True when it changed."""
    import nbformat

    m = LESSON_NAME.match(path.name)
    if not m:
        raise AnnotateError(f"{path}: not a lesson (expected a name like 03_cnn_feature_extraction.ipynb).")
    before = path.read_text(encoding="utf-8")
    nb = json.loads(before)
    annotate_notebook(nb, m.group(1), path.name)
    node = nbformat.from_dict(nb)
    after = nbformat.writes(node) + "\n"
    if after.rstrip("\n") != before.rstrip("\n"):
        path.write_text(after, encoding="utf-8")
        return True
    return False


# ----------------------------------------------------------------------------- grading


@dataclass
class Row:
    student: str
    lesson: str
    exercise: str
    points: float
    max_points: float
    status: str


_CONFIG = """c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = {db!r}
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
c.Execute.timeout = {timeout}
c.Execute.interrupt_on_timeout = True
c.Execute.execute_retries = 0
"""


def _nbgrader(args: list[str], course: Path, timeout: float) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            "ANOMALY_HELPERS_GRADING": "1",
            # nbgrader runs `alembic` (the gradebook's migrations) as a command: use this environment's.
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        }
    )
    try:
        return subprocess.run(
            [sys.executable, "-m", "nbgrader", *args],
            cwd=course,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(exc.cmd, 124, stdout="", stderr=f"timed out after {timeout:.0f} s")


def _exercises(nb: dict) -> list[tuple[str, float]]:
    out = []
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            out.append((meta["grade_id"], float(meta.get("points", 0))))
    return out


def _last_line(text: str) -> str:
    lines = [x.strip() for x in (text or "").splitlines() if x.strip()]
    return lines[-1] if lines else "no message"


def _first_line(text: str) -> str:
    """The first non-empty line of ``text``, whole (never cut)."""
    return next((x.strip() for x in (text or "").splitlines() if x.strip()), "")


def _error_of(output: dict) -> str:
    """``ename: first line of evalue``, e.g. "ModuleNotFoundError: No module named 'anomaly_helperz'"."""
    ename = output.get("ename") or "error"
    evalue = _first_line(output.get("evalue", ""))
    return f"{ename}: {evalue}" if evalue else ename


def _status_of(cell: dict, broken_before: bool) -> str:
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errors:
        return "correct"
    ename = errors[0].get("ename", "")
    if ename == "NotAttempted":
        return "not attempted"
    if ename in ("Incorrect", "AssertionError"):
        return "incorrect"
    if broken_before:
        return "not graded: the notebook broke earlier (see problems)"
    return f"error ({_error_of(errors[0])})"


@dataclass
class Autograded:
    """What the autograded notebook says: each check's status, and the first cell that broke (or None)."""

    statuses: dict[str, tuple[str, bool]]
    broken: str | None


def _read_autograded(path: Path) -> Autograded:
    nb = json.loads(path.read_text(encoding="utf-8"))
    timed_out = any(
        o.get("ename") in ("CellTimeoutError", "KeyboardInterrupt")
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    )
    result, broken = {}, None
    for number, cell in enumerate(nb["cells"], start=1):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        is_check = meta.get("grade") and not meta.get("solution")
        if is_check:
            result[meta["grade_id"]] = (_status_of(cell, broken is not None), timed_out)
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if broken is None and errors and not (is_check and errors[0].get("ename") in VERDICT_ERRORS):
            first_code = _first_line(_text(cell))
            broken = f"cell {number} (`{first_code}`) raised {_error_of(errors[0])}"
    return Autograded(result, broken)


def _gradebook_scores(db_url: str, lesson: str, student: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        submission = gb.find_submission(lesson, student)
        return {g.name: float(g.score) for nb in submission.notebooks for g in nb.grades}


def _prepare_course(course: Path, lessons: dict[str, Path], timeout: float) -> str:
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    (course / "nbgrader_config.py").write_text(
        _CONFIG.format(root=str(course), db=db_url, stub=CODE_STUB, timeout=int(timeout))
    )
    for assignment, path in lessons.items():
        source = course / "source" / assignment
        source.mkdir(parents=True, exist_ok=True)
        write_source(path, source / path.name)
    return db_url


def write_source(lesson: Path, target: Path) -> Path:
    """Write ``lesson`` as nbgrader's source notebook: the same, without the test suite's ``nbval-*`` cell tags."""
    from anomaly_helpers.exercises.student import without_test_tags

    nb = without_test_tags(json.loads(lesson.read_text(encoding="utf-8")))
    target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def grade(
    submissions: Path,
    out_csv: Path,
    *,
    timeout: float = 60.0,
    notebooks: Path = ROOT / "notebooks",
    keep: Path | None = None,
) -> list[Row]:
    """Grade every student's lesson notebooks through nbgrader; write the CSVs; return the rows."""
    if not submissions.is_dir():
        raise SystemExit(
            f"error: SUBMISSIONS {submissions} is not a folder; pass a folder with one sub-folder per student."
        )
    students = sorted(p for p in submissions.iterdir() if p.is_dir())
    if not students:
        raise SystemExit(f"error: {submissions} holds no student folders (expected SUBMISSIONS/<student>/NN_*.ipynb).")
    available = {p.stem: p for p in sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))}
    wanted = sorted({p.stem for s in students for p in s.glob("*.ipynb") if p.stem in available})
    course = Path(tempfile.mkdtemp(prefix="nbgrader-course-")) if keep is None else keep
    db_url = _prepare_course(course, {name: available[name] for name in wanted}, timeout)
    rows: list[Row] = []
    problems: dict[tuple[str, str], str] = {}
    total, done_count = len(wanted) * len(students), 0
    _say(f"grading {len(students)} student(s) x {len(wanted)} lesson(s) = {total} submission(s), about 20 s each")
    for lesson in wanted:
        done = _nbgrader(["generate_assignment", lesson, "--force"], course, timeout=600)
        if done.returncode != 0:
            raise SystemExit(f"error: nbgrader generate_assignment {lesson} failed:\n{done.stderr[-2000:]}")
        release = course / "release" / lesson / f"{lesson}.ipynb"
        exercises = _exercises(json.loads(release.read_text(encoding="utf-8")))
        for student_dir in students:
            start = time.perf_counter()
            mine, problem = _grade_one(course, db_url, lesson, student_dir, exercises, timeout)
            rows += mine
            done_count += 1
            points = sum(r.points for r in mine)
            line = (
                f"[{done_count}/{total}] {student_dir.name} · {lesson}: {points:g} of "
                f"{sum(r.max_points for r in mine):g} points ({time.perf_counter() - start:.0f} s)"
            )
            if problem:
                problems[(student_dir.name, lesson)] = problem
                line += f" · BROKEN: {problem}"
            _say(line)
    _write_csvs(rows, out_csv, problems)
    return rows


def _say(text: str) -> None:
    """A progress line, shown at once (``make`` and pipes would otherwise hold it until the end)."""
    print(text, flush=True)


def _grade_one(course, db_url, lesson, student_dir, exercises, timeout) -> tuple[list[Row], str | None]:
    """Grade one student's lesson: its rows, and what broke the submission (None when nothing did)."""
    student = student_dir.name
    submitted = student_dir / f"{lesson}.ipynb"
    names = [(g.removesuffix("-check"), p) for g, p in exercises]
    if not submitted.exists():
        return [Row(student, lesson, q, 0.0, p, "missing") for q, p in names], None
    try:
        json.loads(submitted.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return [Row(student, lesson, q, 0.0, p, "unreadable notebook") for q, p in names], "unreadable notebook"
    target = course / "submitted" / student / lesson
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(submitted, target / submitted.name)
    n_cells = max(1, len(exercises)) * 4 + 40
    done = _nbgrader(["autograde", lesson, "--student", student, "--create", "--force"], course, timeout * n_cells)
    graded = course / "autograded" / student / lesson / f"{lesson}.ipynb"
    if done.returncode != 0 or not graded.exists():
        reason = "timed out" if done.returncode == 124 else "could not be graded"
        why = f"{reason}: {_last_line(done.stderr)}"
        return [Row(student, lesson, q, 0.0, p, why) for q, p in names], why
    autograded = _read_autograded(graded)
    scores = _gradebook_scores(db_url, lesson, student)
    rows = []
    for grade_id, max_points in exercises:
        status, timed_out = autograded.statuses.get(grade_id, ("missing check cell", False))
        if status != "correct" and timed_out:
            status += "; a cell timed out"
        rows.append(
            Row(student, lesson, grade_id.removesuffix("-check"), scores.get(grade_id, 0.0), max_points, status)
        )
    return rows, autograded.broken


def _write_csvs(rows: list[Row], out_csv: Path, problems: dict[tuple[str, str], str] | None = None) -> None:
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    with out_csv.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", "lesson", "exercise", "points", "max_points", "status"])
        for r in rows:
            w.writerow([r.student, r.lesson, r.exercise, f"{r.points:g}", f"{r.max_points:g}", r.status])
    summary = out_csv.with_name(out_csv.stem + "_summary.csv")
    with summary.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", "points", "max_points", "correct", "exercises", "problems"])
        for student in sorted({r.student for r in rows}):
            mine = [r for r in rows if r.student == student]
            broken = {lesson: why for (name, lesson), why in (problems or {}).items() if name == student}
            found = {f"{lesson}: {why}" for lesson, why in broken.items()}
            found |= {
                f"{r.lesson}: {r.status}"
                for r in mine
                if r.lesson not in broken and r.status not in ("correct", "incorrect", "not attempted")
            }
            w.writerow(
                [
                    student,
                    f"{sum(r.points for r in mine):g}",
                    f"{sum(r.max_points for r in mine):g}",
                    sum(r.status == "correct" for r in mine),
                    len(mine),
                    "; ".join(sorted(found)),
                ]
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="nbgrader metadata for the lessons, and grading a folder of submissions."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("annotate", help="give every lesson's exercise cells nbgrader's metadata")
    a.add_argument("notebooks", nargs="*", type=Path)
    g = sub.add_parser("grade", help="grade SUBMISSIONS/<student>/NN_*.ipynb through nbgrader")
    g.add_argument("submissions", type=Path)
    g.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="the per-exercise CSV; the summary goes next to it (default build/grades/grades.csv, git-ignored)",
    )
    g.add_argument("--timeout", type=float, default=60.0, help="seconds per cell before a submission is interrupted")
    g.add_argument(
        "--notebooks", type=Path, default=ROOT / "notebooks", help="the instructor lessons (default notebooks/)"
    )
    args = parser.parse_args(argv)
    if args.command == "annotate":
        paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        try:
            for path in paths:
                print(f"{'annotated' if annotate_file(path) else 'unchanged'} {path}")
        except AnnotateError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    rows = grade(args.submissions, args.out, timeout=args.timeout, notebooks=args.notebooks)
    print(f"graded {len({r.student for r in rows})} student(s): {args.out} and {args.out.stem}_summary.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
