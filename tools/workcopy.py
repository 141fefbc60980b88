"""The learner's working copy of the lessons: ``work/``, git-ignored, never overwritten.

    python tools/workcopy.py setup [--work work]          # write every lesson not yet in work/
    python tools/workcopy.py reset 03 [--work work]       # write lesson 03 afresh (yours is backed up)

``work/`` holds the **student version** of each lesson, exactly as ``make student`` writes it
(``anomaly_helpers.exercises.student``): every solution region is replaced by
``# YOUR CODE HERE`` and every output is cleared, so each check says "Not attempted" until the
learner answers; ``ex.qN.hint()`` and ``ex.qN.solution()`` still work. The worked lessons are
the stored notebooks in ``notebooks/`` and the offline site's lesson pages (``make site``).

``make lab`` runs ``setup`` and opens JupyterLab in ``work/``, so working through the
course (JupyterLab rewrites a notebook as soon as it opens it, then autosaves) never
changes a file git tracks, and ``git pull`` of a course update is never blocked.
``setup`` writes only lessons that are not in ``work/`` yet (new lessons from a course
update arrive; your files are never touched). ``reset`` moves your file to
``work/backups/`` with a time stamp before writing the lesson's student version afresh.

Only the standard library is used (no Jupyter, not even NumPy: the student build is loaded from
its file), so it runs anywhere Python does.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "notebooks"
WORK = ROOT / "work"
LESSON_GLOB = "[0-9][0-9]_*.ipynb"

STUDENT_BUILD = ROOT / "anomaly_helpers" / "exercises" / "student.py"

README = """\
Your working copy of the course's lessons (created by `make lab` / `make lab-setup`).

These are the student versions: each exercise's solution is replaced by `# YOUR CODE HERE`
and no cell has run yet, so every check says "Not attempted" until you answer.
`ex.q1.hint()` and `ex.q1.solution()` still help. The worked lessons, with every answer
and output, are the course's notebooks/ folder and the offline site (`make site`).

Work here: git ignores this folder, so your notes, answers and outputs never block
`git pull`. After a course update, `make lab-setup` adds lessons that are new; it
never overwrites yours. `make reset-lesson LESSON=03` gives you lesson 03 afresh and
keeps your old file in backups/.
"""


def _student_build():
    """The course's student build (``anomaly_helpers/exercises/student.py``), loaded from its file.

    Loading the file itself, not the package, keeps this tool free of NumPy and Jupyter.
    """
    spec = importlib.util.spec_from_file_location("_course_student_build", STUDENT_BUILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_student_version(lesson: Path, target: Path) -> Path:
    """Write the student version of ``lesson`` (solutions replaced, outputs cleared) to ``target``.

    Parameters
    ----------
    lesson : Path
        A course lesson (``notebooks/NN_*.ipynb``).
    target : Path
        Where to write it (its folder must exist).

    Returns
    -------
    Path
        ``target``.
    """
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    student = _student_build().make_student_notebook(nb, name=lesson.name)
    target.write_text(json.dumps(student, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def setup(work: str | Path = WORK, course: str | Path = COURSE) -> list[Path]:
    """Write the student version of every lesson of ``course`` not yet in ``work``; return those files.

    A file already in ``work`` is never touched, whatever it holds.

    Parameters
    ----------
    work : path, default ``work/`` at the repository root
        The learner's working copy (created if missing).
    course : path, default ``notebooks/``
        The folder holding the course's lessons (``NN_*.ipynb``).

    Returns
    -------
    list of Path
        The files written now, in lesson order (empty when every lesson is already there).
    """
    work, course = Path(work), Path(course)
    lessons = sorted(course.glob(LESSON_GLOB))
    if not lessons:
        raise ValueError(f"course {str(course)!r} holds no lessons (NN_*.ipynb); pass the course's notebooks folder.")
    work.mkdir(parents=True, exist_ok=True)
    if not (work / "README.txt").exists():
        (work / "README.txt").write_text(README, encoding="utf-8")
    copied = []
    for lesson in lessons:
        target = work / lesson.name
        if not target.exists():
            copied.append(write_student_version(lesson, target))
    return copied


def find_lesson(lesson: str, course: str | Path = COURSE) -> Path:
    """Return the course's lesson named by ``lesson`` ("3", "03" or its file name)."""
    name = Path(str(lesson)).name
    prefix = name.zfill(2) if name.isdigit() else name.split("_")[0]
    matches = sorted(Path(course).glob(f"{prefix}_*.ipynb"))
    if len(matches) != 1:
        known = ", ".join(p.name[:2] for p in sorted(Path(course).glob(LESSON_GLOB)))
        raise ValueError(f"lesson {lesson!r} is not one of the course's lessons; pass its number, one of: {known}.")
    return matches[0]


def reset(lesson: str, work: str | Path = WORK, course: str | Path = COURSE) -> tuple[Path, Path | None]:
    """Write one lesson's student version afresh into ``work``, moving the learner's file to ``work/backups/`` first.

    Parameters
    ----------
    lesson : str
        The lesson's number ("3" or "03") or file name.
    work : path, default ``work/`` at the repository root
    course : path, default ``notebooks/``

    Returns
    -------
    tuple
        ``(the fresh student version, the backup or None when there was no file to keep)``.
    """
    source = find_lesson(lesson, course)
    work = Path(work)
    target = work / source.name
    backup = None
    if target.exists():
        backups = work / "backups"
        backups.mkdir(parents=True, exist_ok=True)
        backup = backups / f"{target.stem}.{time.strftime('%Y%m%d-%H%M%S')}{target.suffix}"
        n = 1
        while backup.exists():
            backup = backups / f"{target.stem}.{time.strftime('%Y%m%d-%H%M%S')}-{n}{target.suffix}"
            n += 1
        shutil.move(target, backup)
    work.mkdir(parents=True, exist_ok=True)
    write_student_version(source, target)
    return target, backup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_setup = sub.add_parser("setup", help="write the student version of every lesson not yet in the working copy")
    p_setup.add_argument("--work", default=str(WORK))
    p_reset = sub.add_parser(
        "reset", help="write one lesson's student version afresh (the learner's file is backed up)"
    )
    p_reset.add_argument("lesson")
    p_reset.add_argument("--work", default=str(WORK))
    args = parser.parse_args(argv)
    try:
        if args.command == "setup":
            copied = setup(args.work)
            total = len(list(Path(args.work).glob(LESSON_GLOB)))
            for path in copied:
                print(f"wrote {path} (student version)")
            print(
                f"Your working copy: {args.work}/ ({total} lessons, {len(copied)} new), the student versions: "
                "every exercise waits for your answer. Your files there are never overwritten. "
                "The worked lessons are in notebooks/ and on the offline site (make site)."
            )
        else:
            target, backup = reset(args.lesson, args.work)
            if backup:
                print(f"kept your version as {backup}")
            print(f"wrote the lesson's student version to {target}")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
