"""The course's own rules, checked on every lesson notebook."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tools.nbtools import CORE_WORDS_CEILING, CORE_WORDS_TARGET, core_prose_words

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LESSONS = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]
TF_NOISE = re.compile(r"absl::InitializeLog|oneDNN custom operations|cpu_feature_guard|Unable to register cu")


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _markdown(nb) -> str:
    return "\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_there_are_lessons():
    assert LESSONS, "notebooks/ holds no lessons"
    assert LESSONS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_file_name_is_numbered_snake_case(path):
    assert re.fullmatch(r"\d\d_[a-z0-9]+(_[a-z0-9]+)*\.ipynb", path.name)


def test_lesson_numbers_are_consecutive():
    numbers = [int(p.name[:2]) for p in LESSONS]
    assert numbers == list(range(len(numbers))), f"lesson numbers must run 00, 01, … without gaps: {numbers}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_shape(path):
    nb = _load(path)
    first = _source(nb["cells"][0])
    assert nb["cells"][0]["cell_type"] == "markdown" and first.startswith(f"# {path.name[:2]} · "), (
        "the first cell must be the title '# NN · Title'"
    )
    md = _markdown(nb)
    assert "**You will learn to**" in md, "objectives missing ('**You will learn to**')"
    assert re.search(r"\*\*Time\*\*\s*(?:core\s*)?~?\d+\s*min", md), (
        "time estimate missing ('**Time** core ~N min' or '**Time** ~N min')"
    )
    assert re.search(r"\*\*Runs in\*\*", md), "run time missing ('**Runs in** ~N s')"
    assert re.search(r"^## Setup", md, re.M), "'## Setup' section missing"
    assert re.search(r"^## Summary", md, re.M), "'## Summary' section missing"
    if int(path.name[:2]) < len(LESSONS) - 1:
        assert "**Next:**" in md, "a 'Next' link to the following lesson is missing"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_has_exercises(path):
    nb = _load(path)
    code = "\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "code")
    assert "### BEGIN SOLUTION" in code and ".check(" in code, "every lesson has at least one checked exercise"
    if path.name != "00_start_here.ipynb":
        assert code.count(".check(") >= 3, "lessons 01+ have at least 3 checked exercises"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_stored_outputs_are_a_clean_fresh_run(path):
    nb = _load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and _source(c).strip()]
    counts = [c.get("execution_count") for c in code]
    assert counts == list(range(1, len(code) + 1)), "execution counts must be 1..n in order: run `make execute`"
    for cell in code:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"a stored output is an error: {out.get('ename')}"
            text = "".join(out.get("text", "")) if out.get("output_type") == "stream" else ""
            assert not TF_NOISE.search(text), "TensorFlow's C++ log lines are stored as output"
            assert "Incorrect" not in text and "Incorrect" not in json.dumps(out.get("data", {})), (
                "a stored exercise verdict says Incorrect"
            )
    assert path.stat().st_size < 2_000_000, "notebook larger than 2 MB"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_setup_cell_seeds(path):
    nb = _load(path)
    code = [_source(c) for c in nb["cells"] if c["cell_type"] == "code"]
    setup = next((i for i, s in enumerate(code) if "setup_lesson(" in s), None)
    assert setup is not None, "the setup cell must call setup_lesson()"
    assert setup <= 1, "setup_lesson() must run in the first code cells"
    assert not any(re.search(r"^\s*(import|from)\s+(tensorflow|keras)\b", s, re.M) for s in code[:setup]), (
        "tensorflow/keras must be imported after anomaly_helpers"
    )


def test_ruff_lint_and_format():
    """ruff over the package, tests, tools and notebooks (settings in pyproject.toml)."""
    paths = ["anomaly_helpers", "tests", "tools", "data", "notebooks", "benchmarks"]
    paths = [p for p in paths if (ROOT / p).exists()]
    check = subprocess.run([sys.executable, "-m", "ruff", "check", *paths], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *paths], cwd=ROOT, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


NBVAL_TAGS = {"nbval-ignore-output", "nbval-skip", "nbval-check-output", "raises-exception"}
NBVAL_COMMENT = re.compile(r"^\s*#+\s*(NBVAL|PYTEST_VALIDATE)_[A-Z_]+", re.M)
# A line break between two CJK characters (ideographs, CJK and full-width punctuation) renders as a stray space.
CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
CJK_BREAK = re.compile(rf"[{CJK}][ \t]*\n[ \t]*[{CJK}]")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_nbval_markers_are_cell_tags_not_comments(path):
    """Learners read the code: nbval's markers are cell tags (which nbval reads), never comments in the code."""
    nb = _load(path)
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        m = NBVAL_COMMENT.search(_source(cell))
        assert not m, (
            f"{path.name}, cell {index}: {m.group(0).strip()!r} is a comment a learner reads; delete it and give the "
            f"cell the tag nbval reads instead ({', '.join(sorted(NBVAL_TAGS))})"
        )
        for tag in cell.get("metadata", {}).get("tags", []):
            if tag.startswith("nbval-") and not tag.startswith("nbval-tolerance"):
                assert tag in NBVAL_TAGS, f"{path.name}, cell {index}: unknown nbval tag {tag!r}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_no_line_break_between_two_cjk_characters(path):
    """Markdown turns a line break into a space, which splits a Chinese sentence ("一段真实 的")."""
    nb = _load(path)
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        m = CJK_BREAK.search(_source(cell))
        assert not m, (
            f"{path.name}, cell {index}: line break inside a Chinese sentence at {m.group(0)!r}; join the lines"
        )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_core_prose_fits_a_class_period(path):
    """About 2,000 words of core prose (header, Setup, numbered sections); depth goes to <details> or Going further."""
    words = core_prose_words(_load(path))
    assert words <= CORE_WORDS_CEILING, (
        f"{words:,} words of core prose, more than {CORE_WORDS_CEILING:,} (target about {CORE_WORDS_TARGET:,}): move "
        "longer explanations into a <details> block or a '## Going further: …' section "
        "(count with `python tools/nbtools.py words`)"
    )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_section_minutes_add_up_to_the_header(path):
    md = _markdown(_load(path))
    header = re.search(r"\*\*Time\*\*\s*(?:core\s*)?~(\d+)\s*min(?:\s*\(\+\s*~(\d+)\s*min going further\))?", md)
    assert header, "time estimate missing ('**Time** core ~N min (+ ~M min going further)')"
    core = [int(m) for m in re.findall(r"^## \d+ · .*\(~(\d+) min\)\s*$", md, re.M)]
    numbered = re.findall(r"^## \d+ · ", md, re.M)
    assert len(core) == len(numbered), (
        "every numbered section states its minutes in its heading: '## N · Title (~N min)'"
    )
    assert sum(core) == int(header.group(1)), (
        f"the core sections' minutes add up to {sum(core)}, the header says ~{header.group(1)} min"
    )
    has_going_further = bool(re.search(r"^## Going further", md, re.M))
    assert has_going_further == (header.group(2) is not None), (
        "the header announces '(+ ~M min going further)' exactly when the lesson has a '## Going further' section"
    )


TIME = re.compile(r"\*\*Time\*\* (?:core )?~(\d+) min(?: \(\+ ~(\d+) min going further\))?")
RUNS_IN = re.compile(r"\*\*Runs in\*\* ~(\d+) s")


def _header_times(path) -> tuple[int, int | None, int]:
    header = _source(_load(path)["cells"][0])
    time, runs = TIME.search(header), RUNS_IN.search(header)
    assert time and runs, f"{path.name}: header lacks '**Time** core ~N min …' or '**Runs in** ~N s'"
    return int(time.group(1)), int(time.group(2)) if time.group(2) else None, int(runs.group(1))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_run_time_in_the_header_is_the_measured_one(path):
    timings = json.loads((ROOT / "benchmarks" / "timings.json").read_text(encoding="utf-8"))
    measured = {row["lesson"]: row["seconds"] for row in timings["lessons"]}
    assert path.name in measured, "the lesson has no measured run time: run `make benchmark`"
    assert _header_times(path)[2] == round(measured[path.name]), (
        f"the header's '**Runs in**' is not the benchmark's {measured[path.name]} s: run `make benchmark` (it writes it)"
    )


def _map_row(text: str, link: str) -> list[str]:
    line = next((line for line in text.splitlines() if link in line), None)
    assert line is not None, f"no row links to {link}"
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_the_lesson_maps_give_the_lessons_own_times(path):
    core, further, runs = _header_times(path)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    expected = f"{core} + {further} min" if further else f"{core} min"
    assert _map_row(readme, f"(notebooks/{path.name})")[-2:] == [expected, f"{runs} s"], (
        "README's lesson map disagrees with the lesson's header (time, runs in)"
    )
    start_here = _markdown(_load(LESSONS[0]))
    expected = f"{core} min (+ {further} min optional)" if further else f"{core} min"
    assert _map_row(start_here, f"]({path.name})")[-1] == expected, "lesson 00's map disagrees with the lesson's header"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_has_the_closing_parts_and_a_prediction(path):
    md = _markdown(_load(path))
    for heading in ("## Discussion", "## References", "## 中文摘要"):
        assert re.search(rf"^{heading}\s*$", md, re.M), f"'{heading}' section missing"
    assert "**Predict first:**" in md, "no '**Predict first:**' question before a key result"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_no_cell_stops_a_learner_on_another_processor(path):
    """No hand-written ``assert``: a trained figure that moves on another processor must not stop the lesson.

    A live run is compared with a stored study through ``ah.studies.check_agreement`` (a note for a
    learner, an error in the test run); a cell whose outputs a training run feeds declares its
    tolerance with a tag (tests/nbval_tolerance.py), and the tag must be well formed.
    """
    import ast

    from tests.nbval_tolerance import tolerance_of

    for number, cell in enumerate(c for c in _load(path)["cells"] if c["cell_type"] == "code"):
        tree = ast.parse(_source(cell))
        asserts = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Assert)]
        assert not asserts, f"code cell {number} asserts (line {asserts[0]}): use ah.studies.check_agreement instead"
        tolerance_of(cell.get("metadata", {}).get("tags"))  # raises on a malformed tolerance tag


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_valid_nbformat(path):
    """nbformat's schema (nbconvert, nbgrader and JupyterLab validate against it): e.g. no comma in a cell tag."""
    import nbformat

    nbformat.validate(nbformat.read(path, as_version=4))
