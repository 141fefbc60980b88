"""Find the numbers in a lesson's prose that the lesson does not back.

A number in a markdown cell is *backed* when it appears in one of the lesson's text
outputs (a rounded form counts: prose 0.85 is backed by a printed 0.849, prose 5.6 %
by a printed 0.056; a whole number without % must be printed exactly), or as a numeric literal in one of its code cells (a setting the
code states, e.g. ``epochs=30``), or when ``tests/prose_numbers.yaml`` declares it
for that lesson with a reason (a year in a reference, a formula constant).

What is not a number of the prose (the rules, in order):

- code spans and blocks, LaTeX (``$...$``, ``$$...$$``), HTML tags, URLs and link targets;
- section numbers that start a heading (``### 2.1 Data``);
- references: lesson numbers (``lesson 03``, ``lessons 02–04``, ``01 · Title``),
  sections (``section 3.3``, ``§4``), exercises and questions (``Exercise 1.4``,
  ``Q3.3``, ``Question 4.2``), cells (``cell 12``), figures, steps;
- years (1900–2099), reading times (``~45 min``, ``25 s``), ``1-D``/``2-D``/``3-D``;
- digits inside a word or a name (``F1``, ``Conv2D``, ``float32``, ``x_1``, ``MIT-BIH``).
"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

NUMBER = re.compile(r"(?<![\w.\-/])-?\d(?:\d|,\d{3})*(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w]|\.\d|,\d{3})")
_STRIP = [
    re.compile(r"```.*?```", re.S),
    re.compile(r"`[^`]*`"),
    re.compile(r"\$\$.*?\$\$", re.S),
    re.compile(r"(?<!\\)\$[^$]*\$"),
    re.compile(r"\\\(.*?\\\)", re.S),
    re.compile(r"<[^>]+>"),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"https?://\S+"),
]
_NUM = r"\d+(?:\.\d+)*"
_LIST = rf"{_NUM}(?:\s*(?:–|-|,|and|or|to|&)\s*{_NUM})*"
_REFERENCES = [
    re.compile(rf"\b(?:[Ll]essons?|[Ss]ections?|§|[Ee]xercises?|[Qq]uestions?|[Cc]ells?|[Ff]ig(?:ure)?s?\.?|"
               rf"[Ss]teps?|[Cc]hapters?|[Pp]arts?|[Ee]x\.?|Q|第)\s*{_LIST}"),
    re.compile(rf"(?<!\w){_NUM}\s*·"),  # "01 · What anomaly detection is"
    re.compile(rf"^#+\s*{_NUM}\.?", re.M),  # section numbers in headings
    re.compile(r"(?<![\d.])(?:19|20)\d\d(?![\d.])"),  # years
    re.compile(r"~?\d+(?:–\d+)?\s*(?:min|minutes|s)\b"),  # reading and running times
    re.compile(r"\b[1-3]-?D\b"),
]  # fmt: skip


def prose_text(markdown: str) -> str:
    """The markdown with code, formulas, markup and references removed."""
    for pattern in _STRIP + _REFERENCES:
        markdown = pattern.sub(" ", markdown)
    return markdown


def _decimal(token: str) -> Decimal | None:
    try:
        return Decimal(token.replace(",", ""))
    except InvalidOperation:
        return None


def numbers_in(text: str) -> list[str]:
    return [m.group(0).rstrip(",") for m in NUMBER.finditer(text)]


def output_text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            parts.append("".join(out["text"]))
        elif out["output_type"] in ("execute_result", "display_data"):
            data = out.get("data", {})
            for key in ("text/plain", "text/html", "text/markdown"):
                if key in data:
                    parts.append(html.unescape(re.sub(r"<[^>]+>", " ", "".join(data[key]))))
        elif out["output_type"] == "error":
            parts.append(" ".join(out.get("traceback", [])))
    return "\n".join(parts)


def _rounds_to(value: Decimal, target: Decimal, places: int) -> bool:
    unit = Decimal(1).scaleb(-places)
    return abs(value) < Decimal("1e15") and value.quantize(unit) == target.quantize(unit)


def _backs(prose: str, percent: bool, printed: set[Decimal]) -> bool:
    """Whether a printed value shows ``prose`` (rounded forms allowed, see the module docstring)."""
    p = _decimal(prose)
    if p is None:
        return True
    if "e" in prose.lower():  # 3.5e21: the same to 2 significant digits
        return any(p and abs(v - p) <= abs(p) * Decimal("0.05") for v in printed)
    places = max(0, -p.as_tuple().exponent)
    for value in printed:
        if value == p or (places > 0 and _rounds_to(value, p, places)):
            return True
        if percent and _rounds_to(value * 100, p, places):
            return True
    return False


def unbacked_numbers(path: Path, declared: dict[str, str] | None = None) -> list[str]:
    """The prose numbers of the lesson at ``path`` that nothing backs (with a little context)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    printed: set[Decimal] = set()
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        code = re.sub(r"#.*", "", source)
        for token in numbers_in(output_text(cell)) + numbers_in(
            re.sub(r"(?<![\d.])[A-Za-z_]\w*|[\"'][^\"'\n]*[\"']", " ", code)
        ):
            d = _decimal(token)
            if d is not None:
                printed.add(abs(d))
    declared = declared or {}
    missing = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = prose_text("".join(cell["source"]))
        for m in NUMBER.finditer(text):
            token = m.group(0).rstrip(",").lstrip("-")
            if token in declared:
                continue
            percent = text[m.end() : m.end() + 2].lstrip().startswith("%")
            if not _backs(token, percent, printed):
                context = " ".join(text[max(0, m.start() - 40) : m.end() + 25].split())
                missing.append(f"{token!r} in “…{context}…”")
    return missing
