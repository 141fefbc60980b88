"""The teacher's generated pages are up to date and cover every lesson and exercise."""

from __future__ import annotations

import importlib
from pathlib import Path

from tools import teacher_guide

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_generated_pages_are_up_to_date():
    stale = [
        str(path.relative_to(ROOT))
        for path, content in teacher_guide.generate().items()
        if not path.exists() or path.read_text(encoding="utf-8") != content
    ]
    assert not stale, f"{stale} are out of date: run `make guide` (python tools/teacher_guide.py)"


def test_every_lesson_and_exercise_is_covered():
    plans = (ROOT / "docs" / "lesson_plans.md").read_text(encoding="utf-8")
    key = (ROOT / "docs" / "answer_key.md").read_text(encoding="utf-8")
    for path in LESSONS:
        assert f"notebooks/{path.name}" in plans, f"{path.name} has no lesson plan"
        try:
            module = importlib.import_module(f"anomaly_helpers.exercises.lesson{path.name[:2]}")
        except ModuleNotFoundError:
            continue
        for name in getattr(module, "ANSWERS", {}):
            assert f"`ex.{name}`" in key.split(f"`{path.name}`")[1].split("\n## Lesson")[0], (
                f"{path.name}: {name} is missing from the answer key"
            )


def test_the_guide_links_its_companions():
    guide = (ROOT / "docs" / "teacher_guide.md").read_text(encoding="utf-8")
    assert "lesson_plans.md" in guide and "answer_key.md" in guide and "make grade" in guide
