"""The maintenance tool's measurements: core prose words, the benchmark's verdict, run times written back."""

from __future__ import annotations

import nbformat

from tools.nbtools import _verdict as verdict
from tools.nbtools import core_prose_words, update_run_times


def _nb(*markdown: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(m) for m in markdown]
    nb.cells.insert(1, nbformat.v4.new_code_cell("x = 'code is not prose'"))
    return nb


def test_core_prose_counts_the_core_and_leaves_out_depth_and_closing():
    nb = _nb(
        "# 01 · Title\n\nOne two three.",
        "## 1 · Core (~5 min)\n\nFour five $x^2 + y$ six [seven](https://example.org/a-b-c).",
        "<details><summary>Why</summary>\n\nhidden words here\n\n</details>\n\nEight.",
        "## Going further: depth\n\nnot counted at all",
        "Still inside going further.",
        "## Summary\n\n- not counted",
        "## 2 · Back to core (~5 min)\n\nNine 中文 ten.",
    )
    # header 5 (01 Title One two three); section 1: 1 Core 5 min Four five six seven (formula and link target
    # left out); Eight (the <details> block left out); section 2: 2 Back to core 5 min Nine ten ('中文' is no word)
    assert core_prose_words(nb) == 5 + 8 + 1 + 8


def _result(seconds):
    return {
        "lessons": [{"lesson": "00_a.ipynb", "seconds": seconds, "within_budget": seconds <= 45}],
        "total_seconds": seconds,
        "budget": {"seconds_per_lesson": 45, "peak_mb_per_lesson": 1536, "seconds_all_lessons": 30},
    }


def test_the_verdict_names_what_is_over():
    assert "within the 30 s" in verdict(_result(20.0)) and "every lesson is within" in verdict(_result(20.0))
    assert "**over** the 30 s" in verdict(_result(40.0))
    assert "00_a.ipynb exceed" in verdict(_result(50.0))


def test_run_times_are_written_into_the_header_and_the_readme(tmp_path):
    nb = _nb("# 00 · A\n\n**Time** core ~20 min   **Runs in** ~9 s on a laptop CPU")
    nbformat.write(nb, tmp_path / "00_a.ipynb")
    readme = tmp_path / "README.md"
    readme.write_text("| 00 | [A](notebooks/00_a.ipynb): x | — | 20 min | 9 s |\n| other | 9 s |\n", encoding="utf-8")
    update_run_times(_result(12.6), readme=readme, notebooks=tmp_path)
    assert "**Runs in** ~13 s on a laptop CPU" in nbformat.read(tmp_path / "00_a.ipynb", as_version=4).cells[0].source
    assert (
        readme.read_text(encoding="utf-8")
        == "| 00 | [A](notebooks/00_a.ipynb): x | — | 20 min | 13 s |\n| other | 9 s |\n"
    )
