"""Showing verdicts, hints and progress: displayed when made, never twice.

A check *displays* its verdict at once (rich HTML in Jupyter, plain text elsewhere), so a
``print`` after it in the same cell cannot hide it. The verdict is also returned; when the check
is the last expression of a cell, Jupyter would show the returned object a second time, so the
returned object shows itself only when it was not already shown by the same cell.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["Shown", "show", "markdown_inline"]


def _ipython() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the course
        return None
    return get_ipython()


class Shown:
    """Base of everything the exercises show: text (``_text``), HTML (``_html``) or Markdown (``_markdown``)."""

    _shown_in: int | None = None

    def _text(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _html(self) -> str | None:
        return None

    def _markdown(self) -> str | None:
        return None

    def __repr__(self) -> str:
        return self._text()

    def _repr_html_(self) -> str | None:
        return self._html()

    def _repr_markdown_(self) -> str | None:
        return self._markdown()

    def _ipython_display_(self) -> None:
        ip = _ipython()
        if ip is not None and self._shown_in == getattr(ip, "execution_count", None):
            return  # already shown by the call that made it, in this very cell
        show(self)


def show(obj: Shown) -> None:
    """Display ``obj`` now: as a rich output in IPython/Jupyter, as printed text elsewhere."""
    ip = _ipython()
    if ip is None:
        print(obj._text())
        return
    from IPython.display import display

    bundle = {"text/plain": obj._text()}
    if obj._html() is not None:
        bundle["text/html"] = obj._html()
    if obj._markdown() is not None:
        bundle["text/markdown"] = obj._markdown()
    display(bundle, raw=True)
    obj._shown_in = getattr(ip, "execution_count", None)


_CODE = re.compile(r"`([^`\n]+)`")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")


def markdown_inline(text: str) -> str:
    """HTML for the little Markdown the messages use: `code`, *emphasis* and **strong**; the rest escaped.

    Everything is HTML-escaped first, so no text of a message (or of a learner's answer quoted in it)
    can inject markup; code spans are set aside before emphasis, so ``a*b`` in code stays as typed.
    A lone ``*`` (``2 * x``) is left alone.

    Parameters
    ----------
    text : str
        One message, plain text with inline Markdown.

    Returns
    -------
    str
        Safe HTML.
    """
    codes: list[str] = []

    def keep(m: re.Match) -> str:
        codes.append(f"<code>{m.group(1)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    out = _CODE.sub(keep, html.escape(text))
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    out = _EM.sub(r"<em>\1</em>", out)
    return re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], out)


def html_block(text: str, colour: str) -> str:
    """The coloured box a verdict is shown in (one bold line; further lines as preformatted text).

    The message's inline Markdown (`code`, *emphasis*, **strong**) is rendered, as JupyterLab would
    render it in a Markdown cell; the text/plain form of the verdict keeps the plain text.
    """
    first, _, rest = text.partition("\n")
    body = f'<b style="color:{colour}">{markdown_inline(first)}</b>'
    if rest:
        body += f'<pre style="margin:2px 0 0 0;white-space:pre-wrap">{markdown_inline(rest)}</pre>'
    return f'<div style="border-left:4px solid {colour};padding:2px 8px">{body}</div>'
