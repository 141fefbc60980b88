"""The offline course site: every lesson has a page, nothing loads from the network, handouts hide solutions.

The site is built once per test session from the stored outputs (no re-execution) with
``tools/course_site.py build``; the browser check (``tools/course_site.py check-browser``) is separate because
it needs Chromium.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tools import course_site as site

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    site.build(out)
    return out


class _Loads(HTMLParser):
    """Collect every URL a page would fetch by itself (not the links a reader may click)."""

    FETCHING = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "video": "src",
        "audio": "src",
        "embed": "src",
    }

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self._in = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.FETCHING and a.get(self.FETCHING[tag]):
            self.urls.append(a[self.FETCHING[tag]])
        if tag == "link" and a.get("href") and "stylesheet" in (a.get("rel") or "") + "preload icon":
            self.urls.append(a["href"])
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"])
        self._in = tag

    def handle_data(self, data):
        if self._in == "style":
            self.urls += re.findall(r"url\(\s*['\"]?(https?:[^'\")]+)", data)
            self.urls += re.findall(r"@import\s+['\"](https?:[^'\"]+)", data)
        if self._in == "script":
            self.urls += re.findall(r"""import\(\s*['"](https?:[^'"]+)""", data)
            self.urls += re.findall(r"""\.src\s*=\s*['"](https?:[^'"]+)""", data)


def _network_loads(page: Path) -> list[str]:
    parser = _Loads()
    parser.feed(page.read_text(encoding="utf-8"))
    return [u for u in parser.urls if re.match(r"^(https?:)?//", u)]


def test_every_lesson_has_a_page_and_a_handout(built):
    for nb in LESSONS:
        page = nb.with_suffix(".html").name
        assert (built / "lessons" / page).is_file(), f"no lesson page for {nb.name}"
        assert (built / "handout" / page).is_file(), f"no handout page for {nb.name}"
    index = (built / "index.html").read_text(encoding="utf-8")
    for nb in LESSONS:
        assert f'lessons/{nb.with_suffix(".html").name}"' in index, f"the index does not link {nb.name}"


def test_no_page_loads_anything_from_the_network(built):
    pages = [built / "index.html", *sorted(built.glob("lessons/*.html")), *sorted(built.glob("handout/*.html"))]
    offenders = {p.relative_to(built).as_posix(): _network_loads(p) for p in pages}
    assert not {k: v for k, v in offenders.items() if v}, offenders


def test_the_network_check_can_fail(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        '<html><head><script src="https://cdn.example/x.js"></script><style>@import "https://f.example/a.css";</style>'
        '</head><body><a href="https://example.org/paper">a reference is fine</a><img src="data:image/png;base64,AA"></body></html>'
    )
    assert _network_loads(page) == ["https://cdn.example/x.js", "https://f.example/a.css"]


def test_mathjax_is_local_and_present(built):
    page = (built / "lessons" / LESSONS[1].with_suffix(".html").name).read_text(encoding="utf-8")
    m = re.search(r'<script src="([^"]*MathJax\.js)\?config=', page)
    assert m, "the lesson page does not load MathJax"
    assert (built / "lessons" / m.group(1)).resolve().is_file(), f"{m.group(1)} is not in the site"


def test_handouts_have_no_solutions_but_keep_other_outputs(built):
    for nb_path in LESSONS:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        handout = (built / "handout" / nb_path.with_suffix(".html").name).read_text(encoding="utf-8")
        code = "\n".join(re.findall(r'<div class="highlight[^"]*">(.*?)</div>', handout, re.S))
        assert code, f"{nb_path.name}: no code blocks found in the handout page"
        assert "BEGIN SOLUTION" not in code, f"{nb_path.name}: the handout shows a solution block"
        n_solutions = sum("### BEGIN SOLUTION" in "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        assert handout.count("# YOUR CODE HERE") >= n_solutions
        full = (built / "lessons" / nb_path.with_suffix(".html").name).read_text(encoding="utf-8")
        n_images = full.count("data:image/png;base64")
        if n_images:
            assert handout.count("data:image/png;base64") >= 1, f"{nb_path.name}: the handout lost every figure"


def test_links_between_lessons_point_at_pages(built):
    for page in built.glob("lessons/*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'href="\d\d_[a-z0-9_]+\.ipynb', text), f"{page.name} links a notebook, not a page"


def _visible_text(page: Path) -> str:
    return html.unescape(page.read_text(encoding="utf-8"))


def test_handouts_give_no_verdict_away(built):
    """No "Correct"/"Incorrect"/"Not attempted" verdict, progress table or "your answer passes" line in any handout."""
    giveaways = re.compile(
        rf"{site.VERDICT.pattern}|{site.PROGRESS.pattern}|{site.SOLUTION_NOTE.pattern}|\(it passes the check\)"
    )
    found = {}
    for nb_path in LESSONS:
        page = built / "handout" / nb_path.with_suffix(".html").name
        hits = giveaways.findall(_visible_text(page))
        if hits:
            found[page.name] = hits[:3]
    assert not found, f"handouts that give answers away: {found}"
    # The scan can fail: the lesson pages (worked versions) show the verdicts.
    lessons_text = "".join(_visible_text(p) for p in sorted(built.glob("lessons/*.html")))
    assert len(site.VERDICT.findall(lessons_text)) >= len(LESSONS) - 2


def test_make_handout_drops_verdicts_and_keeps_explanations():
    verdict = {
        "output_type": "display_data",
        "metadata": {},
        "data": {"text/plain": "Exercise 0.1 (★☆☆) · Correct", "text/html": "<b>Exercise 0.1 (★☆☆) · Correct</b>"},
    }
    table = {"output_type": "stream", "name": "stdout", "text": "prevalence 0.40\n"}
    used = {"output_type": "stream", "name": "stdout", "text": "Exercise 0.2: using your `f` (it passes the check).\n"}
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": 1,
                "outputs": [table],
                "source": "x = ...\n### BEGIN SOLUTION\nx = 0.4\n### END SOLUTION",
            },
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": 2,
                "outputs": [verdict, table],
                "source": "ex.q1.check(x)",
            },
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": 3,
                "outputs": [used],
                "source": "g = ex.q2.use(f)",
            },
        ]
    }
    solution, check, use = site.make_handout(nb, "demo.ipynb")["cells"]
    assert solution["outputs"] == [] and "x = 0.4" not in solution["source"]
    assert check["outputs"] == [table], "the verdict goes, the explanatory output stays"
    assert use["outputs"][0]["text"] == "Exercise 0.2: using the reference `f` (you have not written it yet).\n"


def test_site_build_prints_a_line_per_lesson(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for lesson in LESSONS[:2]:
        (notebooks / lesson.name).write_bytes(lesson.read_bytes())
    site.build(tmp_path / "site", notebooks, progress=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"[1/2] {LESSONS[0].stem}.html", f"[2/2] {LESSONS[1].stem}.html"]


def test_site_check_prints_a_line_per_page(built, capsys):
    if site._chromium() is None:
        pytest.skip("Chromium is not installed")
    site.check_browser(built, [LESSONS[0].with_suffix(".html").name])
    out = capsys.readouterr().out
    assert "opening 1 lesson page(s)" in out and f"[1/1] ok   {LESSONS[0].stem}.html" in out, out


def test_formulas_use_the_web_font_the_mathjax_copy_ships(built):
    """MathJax asks for its TeX fonts by default, which the bundled copy lacks (a failed request on every page and
    formulas in system fonts): the pages tell it to use the STIX-Web fonts the copy has."""
    page = (built / "lessons" / LESSONS[0].with_suffix(".html").name).read_text(encoding="utf-8")
    assert '"HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null}' in page
    assert page.index("window.MathJax = {") < page.index("MathJax.js?config=")
    fonts = built / "mathjax" / "jax" / "output" / "HTML-CSS" / "fonts"
    assert (fonts / "STIX-Web" / "fontdata.js").is_file()
    assert any((built / "mathjax" / "fonts" / "HTML-CSS" / "STIX-Web" / "woff").glob("*.woff"))
