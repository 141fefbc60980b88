"""Where a learner stands: every exercise of a lesson with its status and points.

Each lesson module defines ``progress = progress_of(__name__)``, so a lesson calls::

    ex.progress()     # shows a table (HTML in Jupyter, text elsewhere) and returns it

The status is the best verdict the exercise's ``check`` gave in this session: "not attempted"
(never checked, or still the placeholder), "incorrect" or "correct" — a later wrong try does not
undo a correct answer (the table then says what the last try gave). Points count only for
correct answers.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

from anomaly_helpers.exercises.core import Exercise
from anomaly_helpers.exercises.display import Shown, show

__all__ = ["Progress", "ProgressRow", "exercises_of", "progress_of"]

_SYMBOL = {"correct": "✓", "incorrect": "✗", "not attempted": "·"}


@dataclass(frozen=True)
class ProgressRow:
    """One exercise's line: ``key`` is its name in the module (``q1``), ``earned`` its points so far."""

    key: str
    name: str
    status: str
    points: int
    #: The latest check's status when it differs from ``status`` (the best), else "".
    latest: str = ""

    @property
    def earned(self) -> int:
        return self.points if self.status == "correct" else 0


class Progress(Shown):
    """The table ``progress()`` shows; ``rows``, ``earned`` and ``total`` are there for grading code."""

    def __init__(self, title: str, rows: list[ProgressRow]):
        self.title, self.rows = title, rows

    @property
    def earned(self) -> int:
        return sum(r.earned for r in self.rows)

    @property
    def total(self) -> int:
        return sum(r.points for r in self.rows)

    def _summary(self) -> str:
        n_correct = sum(r.status == "correct" for r in self.rows)
        return f"{n_correct} of {len(self.rows)} exercises correct · {self.earned} of {self.total} points"

    def _text(self) -> str:
        width = max((len(r.name) for r in self.rows), default=10)
        lines = [f"{self.title} — {self._summary()}"]
        for r in self.rows:
            line = f"  {_SYMBOL[r.status]} {r.name:<{width}}  {r.status:<13}  {r.earned}/{r.points} pt"
            lines.append(line + (f"  (last try: {r.latest})" if r.latest else ""))
        return "\n".join(lines)

    def _html(self) -> str:
        cells = "".join(
            f"<tr><td>{html.escape(r.name)}</td><td>{_SYMBOL[r.status]} {r.status}"
            f"{f' (last try: {r.latest})' if r.latest else ''}</td>"
            f'<td style="text-align:right">{r.earned} / {r.points}</td></tr>'
            for r in self.rows
        )
        return (
            f"<div><b>{html.escape(self.title)}</b> — {html.escape(self._summary())}"
            "<table><thead><tr><th>exercise</th><th>status</th><th>points</th></tr></thead>"
            f"<tbody>{cells}</tbody></table></div>"
        )


def exercises_of(module_name: str) -> dict[str, Exercise]:
    """The exercises of a lesson module, ``{"q1": ..., "q2": ...}`` in number order."""
    module = sys.modules[module_name]
    found = {k: v for k, v in vars(module).items() if re.fullmatch(r"q\d+", k) and isinstance(v, Exercise)}
    return dict(sorted(found.items(), key=lambda kv: int(kv[0][1:])))


def progress_of(module_name: str) -> Callable[[], Progress]:
    """Make the ``progress()`` function of a lesson module (call it as ``progress = progress_of(__name__)``)."""

    def progress() -> Progress:
        """Show every exercise of this lesson with its best status so far and points; return the table."""
        module = sys.modules[module_name]
        title = (module.__doc__ or module_name).strip().splitlines()[0].rstrip(".")
        rows = [
            ProgressRow(k, q.name, q.best_status, q.points, latest=q.status if q.status != q.best_status else "")
            for k, q in exercises_of(module_name).items()
        ]
        table = Progress(title, rows)
        show(table)
        return table

    return progress
