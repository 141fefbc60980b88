"""Build the offline course site from the lessons' stored outputs, and check it in a browser.

Usage (from the repository root)::

    python tools/course_site.py build [--out build/site]          # no re-execution: stored outputs only
    python tools/course_site.py check-browser [--out build/site]  # headless Chromium; "skipped" without it

The site has

* ``index.html``: the lesson map (title, time, links);
* ``lessons/NN_*.html``: every lesson as it is stored, outputs included;
* ``handout/NN_*.html``: the same with every solution region replaced by a placeholder and the
  outputs of those cells removed, and no check verdict, progress table or shown solution anywhere
  (what a learner may see before trying); every other output (plots, tables, explanations) is kept;
* ``mathjax/``: a MathJax 2.7 copy taken from the installed ``jupyter-server-mathjax`` package,
  so formulas render with no network.

No page loads anything from the network: nbconvert's default CDN scripts (RequireJS, Mermaid,
the widget manager) are left out by the template in ``tools/site_template``, and MathJax is local.
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = Path(__file__).resolve().parent / "site_template"
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
LESSON_GLOB = "[0-9][0-9]_*.ipynb"
PROBE_MARK = "SITECHECK "

sys.path.insert(0, str(ROOT))
from anomaly_helpers.exercises.student import BEGIN, strip_solutions, without_test_tags  # noqa: E402


@dataclass
class Lesson:
    """What the index needs to know about one lesson."""

    path: Path
    number: str
    title: str
    time: str

    @property
    def page(self) -> str:
        return self.path.with_suffix(".html").name


def _cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def describe(path: Path) -> Lesson:
    """Read a lesson's number, title (its first ``#`` heading) and time (its ``**Time**`` line)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    title, time = path.stem, ""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        text = _cell_text(cell)
        if title == path.stem:
            m = re.search(r"^#\s+(.+)$", text, re.M)
            if m:
                title = m.group(1).strip()
        m = re.search(r"\*\*Time\*\*:?\s*([^*\n]+)", text)
        if m and not time:
            time = m.group(1).strip().rstrip(".")
        if title != path.stem and time:
            break
    return Lesson(path=path, number=path.name[:2], title=title, time=time)


#: A check's verdict as the exercises show it ("Exercise 1.2 (★★☆) · Correct: …"), in text or HTML.
VERDICT = re.compile(r"(?:Exercise|Question) [\d.]+ \(★+☆*\) · (?:Correct|Incorrect|Not attempted)")
#: ``ex.progress()``'s summary line ("3 of 3 exercises correct · 4 of 4 points").
PROGRESS = re.compile(r"\d+ of \d+ exercises correct")
#: A shown solution ("Exercise 1.2 (★★☆) · solution:").
SOLUTION_NOTE = re.compile(r"(?:Exercise|Question) [\d.]+ \(★+☆*\) · solution")
#: What ``ex.qN.use(answer)`` prints for a right answer, and what a learner sees before answering.
_USED_YOURS = re.compile(r"using your (`[^`]+`|answer) \(it passes the check\)")
_USED_REFERENCE = r"using the reference \1 (you have not written it yet)"


def _output_text(output: dict) -> str:
    if output.get("output_type") == "stream":
        text = output.get("text", "")
        return "".join(text) if isinstance(text, list) else text
    data = output.get("data", {})
    return "\n".join("".join(v) if isinstance(v, list) else str(v) for v in data.values() if isinstance(v, (str, list)))


def gives_an_answer_away(output: dict) -> bool:
    """True for an output that tells how an exercise went: a verdict, a progress table or a shown solution."""
    text = _output_text(output)
    return bool(VERDICT.search(text) or PROGRESS.search(text) or SOLUTION_NOTE.search(text))


def _as_before_answering(output: dict) -> dict:
    """The output with ``ex.qN.use``'s "using your answer" lines as a learner sees them before answering."""
    if output.get("output_type") != "stream":
        return output
    text = _output_text(output)
    if not _USED_YOURS.search(text):
        return output
    return {**output, "text": _USED_YOURS.sub(_USED_REFERENCE, text)}


def make_handout(nb: dict, name: str) -> dict:
    """Return a copy of a lesson that gives no answer away, with every explanatory output kept.

    A cell holding a solution region gets the placeholder (as in the student build) and loses its outputs;
    in every other cell, the outputs that tell how an exercise went (a check's verdict, ``ex.progress()``'s
    table, a shown solution) are dropped, and ``ex.qN.use``'s "using your answer" line reads as it does
    before the learner answers. Plots, tables and printed explanations stay.
    """
    out = copy.deepcopy(nb)
    for index, cell in enumerate(out.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        text = _cell_text(cell)
        if BEGIN in text:
            cell["source"] = strip_solutions(text, where=f"{name}, cell {index}")
            cell["outputs"] = []
            cell["execution_count"] = None
            continue
        cell["outputs"] = [_as_before_answering(o) for o in cell.get("outputs", []) if not gives_an_answer_away(o)]
    return out


def _exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="course", extra_template_basedirs=[str(TEMPLATE_DIR)])
    exporter.mathjax_url = f"../mathjax/MathJax.js?config={MATHJAX_CONFIG}"
    # Left out by the template too; set to empty so nothing can point at a CDN.
    exporter.require_js_url = ""
    exporter.jquery_url = ""
    return exporter


_IPYNB_LINK = re.compile(r'href="(?:\./)?(\d\d_[a-z0-9_]+)\.ipynb(#[^"]*)?"')


def _render(exporter, nb: dict, lesson: Lesson, lessons: list[Lesson], variant: str) -> str:
    import nbformat

    node = nbformat.reads(json.dumps(without_test_tags(nb)), as_version=4)  # joins list-of-lines sources
    index = [x.number for x in lessons].index(lesson.number)
    nav = {
        "variant": variant,
        "prev": lessons[index - 1].page if index > 0 else "",
        "next": lessons[index + 1].page if index + 1 < len(lessons) else "",
    }
    body, _ = exporter.from_notebook_node(node, resources={"metadata": {"name": lesson.title}, "course_nav": nav})
    # Links between lessons point at the pages of the same variant.
    return _IPYNB_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)


def _copy_mathjax(out: Path) -> None:
    try:
        import jupyter_server_mathjax
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise SystemExit(
            "error: the package jupyter-server-mathjax is missing (it carries the MathJax copy the site uses); "
            "run `make test` or `make lab` once with the package index to install the course's packages."
        ) from exc
    static = Path(jupyter_server_mathjax.__file__).parent / "static"
    target = out / "mathjax"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(static, target)


def _index_html(lessons: list[Lesson]) -> str:
    rows = "\n".join(
        f'<tr><td>{html.escape(x.number)}</td><td><a href="lessons/{x.page}">{html.escape(x.title)}</a></td>'
        f'<td>{html.escape(x.time)}</td><td><a href="handout/{x.page}">handout</a></td></tr>'
        for x in lessons
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Deep Learning for Anomaly Detection</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border-bottom: 1px solid #ddd; padding: .4rem; text-align: left; }}
</style></head>
<body>
<h1>Deep Learning for Anomaly Detection</h1>
<p>The course's lessons with their stored outputs, readable without Python. <b>Lesson</b> pages show everything,
solutions included; <b>handout</b> pages replace each exercise's solution with a placeholder, hide that cell's
output and every check's verdict, but keep every other output. To run the lessons, follow the README of the repository.</p>
<table><thead><tr><th>#</th><th>lesson</th><th>time</th><th>for learners</th></tr></thead>
<tbody>
{rows}
</tbody></table>
<p>Code: MIT licence. Lesson text and figures: CC BY 4.0. Data: see the data folder's README.</p>
</body></html>
"""


def _say(text: str) -> None:
    """A progress line, shown at once (``make`` would otherwise hold it until the end)."""
    print(text, flush=True)


def build(
    out: Path = ROOT / "build" / "site", notebooks: Path = ROOT / "notebooks", *, progress: bool = False
) -> list[Path]:
    """Build the site from the stored outputs; return the pages written.

    Parameters
    ----------
    out : Path, default ``build/site``
    notebooks : Path, default ``notebooks/``
        The lessons whose stored outputs the pages show.
    progress : bool, default False
        Print a line per lesson as its pages are written (``make site`` does).
    """
    paths = sorted(notebooks.glob(LESSON_GLOB))
    if not paths:
        raise SystemExit(f"error: no lessons named NN_*.ipynb in {notebooks}")
    lessons = [describe(p) for p in paths]
    exporter = _exporter()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for number, lesson in enumerate(lessons, start=1):
        start = time.perf_counter()
        nb = json.loads(lesson.path.read_text(encoding="utf-8"))
        for variant, notebook in (("lessons", nb), ("handout", make_handout(nb, lesson.path.name))):
            target = out / variant / lesson.page
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_render(exporter, notebook, lesson, lessons, variant), encoding="utf-8")
            written.append(target)
        if progress:
            _say(
                f"[{number}/{len(lessons)}] {lesson.page}: lesson page and handout ({time.perf_counter() - start:.1f} s)"
            )
    (out / "index.html").write_text(_index_html(lessons), encoding="utf-8")
    written.append(out / "index.html")
    _copy_mathjax(out)
    return written


# ----------------------------------------------------------------------------- browser check

_PROBE = (
    """
<script>
(function () {
  function report() {
    var imgs = Array.prototype.slice.call(document.images);
    var broken = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); }).length;
    var md = Array.prototype.slice.call(document.querySelectorAll('.jp-MarkdownCell'));
    var text = md.map(function (c) { return c.innerText; }).join('\\n');
    var raw = (text.match(/\\$\\$|\\\\frac|\\\\sum|\\\\hat/g) || []).length;
    var rendered = document.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_SVG').length;
    // the font each formula character is drawn in: anything but MathJax's own web fonts is a fallback
    var families = {};
    Array.prototype.forEach.call(document.querySelectorAll('.MathJax span'), function (s) {
      if (!s.children.length && s.textContent.trim()) {
        families[getComputedStyle(s).fontFamily.split(',')[0].replace(/["']/g, '').trim()] = 1;
      }
    });
    var fallback = Object.keys(families).filter(function (f) { return !/^(STIX)?MathJax_/.test(f); });
    document.title = '"""
    + PROBE_MARK
    + """' + JSON.stringify({images: imgs.length, broken: broken,
      raw_math: raw, rendered_math: rendered, fallback_fonts: fallback, failed_files: failed});
  }
  var failed = [];
  if (window.MathJax && MathJax.Hub) {  // MathJax reports each file it could not load
    MathJax.Hub.Register.MessageHook("file load error", function (m) { failed.push(String(m[1])); });
  }
  window.addEventListener('load', function () {
    if (window.MathJax && MathJax.Hub) { MathJax.Hub.Queue(report); } else { report(); }
  });
})();
</script>
"""
)


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _chromium_args(binary: str, user_dir: str) -> list[str]:
    return [
        binary,
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={user_dir}",
        "--virtual-time-budget=30000",
    ]


def probe_page(page: Path, binary: str) -> dict:
    """Open ``page`` in headless Chromium and return what the probe script measured."""
    text = page.read_text(encoding="utf-8")
    probe = page.with_name(page.stem + ".probe.html")
    probe.write_text(text.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory() as user_dir:
            result = subprocess.run(
                [*_chromium_args(binary, user_dir), "--dump-dom", probe.as_uri()],
                capture_output=True,
                text=True,
                timeout=180,
            )
    finally:
        probe.unlink(missing_ok=True)
    m = re.search(r"<title>" + PROBE_MARK + r"(\{.*?\})</title>", html.unescape(result.stdout))
    if not m:
        return {"error": "the probe did not report (page did not finish loading)", "stderr": result.stderr[-500:]}
    return json.loads(m.group(1))


def screenshot(page: Path, png: Path, binary: str) -> None:
    """Save a screenshot of ``page`` (the top of the lesson) to ``png``."""
    with tempfile.TemporaryDirectory() as user_dir:
        subprocess.run(
            [*_chromium_args(binary, user_dir), f"--screenshot={png}", "--window-size=1280,2400", page.as_uri()],
            capture_output=True,
            timeout=180,
            check=False,
        )


def check_browser(out: Path, pages: list[str] | None = None) -> int:
    """Open lesson pages in headless Chromium: formulas rendered in MathJax's fonts, no raw LaTeX left, every
    figure loaded, and no file MathJax asked for missing (MathJax's own "file load error" signal)."""
    out = out.resolve()
    binary = _chromium()
    if binary is None:
        print(
            "SKIPPED: the browser check needs Chromium, which is not installed "
            "(on Debian/Ubuntu: apt-get install chromium). Nothing was checked."
        )
        return 0
    if not (out / "index.html").exists():
        build(out, progress=True)
    chosen = pages or [p.name for p in sorted((out / "lessons").glob("*.html"))]
    _say(f"opening {len(chosen)} lesson page(s) in headless Chromium, one at a time ...")
    failures = 0
    for number, name in enumerate(chosen, start=1):
        start = time.perf_counter()
        page = out / "lessons" / name
        result = probe_page(page, binary)
        ok = (
            "error" not in result
            and result["broken"] == 0
            and result["raw_math"] == 0
            and not result["fallback_fonts"]
            and not result["failed_files"]
            and (result["rendered_math"] > 0 or "$" not in page.read_text(encoding="utf-8"))
        )
        failures += not ok
        _say(
            f"[{number}/{len(chosen)}] {'ok  ' if ok else 'FAIL'} {name} ({time.perf_counter() - start:.1f} s): {result}"
        )
    shot = out / "screenshot.png"
    screenshot(out / "lessons" / chosen[0], shot, binary)
    _say(f"screenshot of {chosen[0]}: {shot}")
    _say(f"{len(chosen) - failures} passed, {failures} failed")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["build", "check-browser"])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("pages", nargs="*", help="lesson pages to check (default: all)")
    args = parser.parse_intermixed_args(argv)
    if args.command == "build":
        _say(f"building the offline site in {args.out} from the stored outputs ...")
        written = build(args.out, progress=True)
        print(f"wrote {len(written)} pages to {args.out} (open {args.out / 'index.html'})")
        return 0
    return check_browser(args.out, args.pages or None)


if __name__ == "__main__":
    raise SystemExit(main())
