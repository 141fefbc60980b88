"""Solutions as code: the name a solution produces, and numbers in its comments computed, never typed.

A solution is code that assigns the learner's answer (``fraction = np.mean(readings > threshold)``) or
defines the learner's function. Its comments may hold ``{expression}`` fields, filled with the values
the solution computes when it runs (``# {tp} / {tp + fp} = {precision:.3f}``), so that changing an
exercise's data never leaves a stale number behind.
"""

from __future__ import annotations

import ast
import io
import string
import tokenize

__all__ = ["answer_name_of", "fill_solution_comments"]


def answer_name_of(code: str) -> str | None:
    """The name a code solution produces: its last top-level ``def`` or single-name assignment."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    for node in reversed(tree.body):
        if isinstance(node, ast.FunctionDef):
            return node.name
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            return node.targets[0].id
    return None


def _fill_comment(comment: str, ns: dict) -> str:
    out = []
    for literal, field, spec, conversion in string.Formatter().parse(comment):
        out.append(literal)
        if field is None:
            continue
        value = eval(field, ns)  # noqa: S307 - a teacher's expression over the solution's own names
        value = {"r": repr, "s": str, "a": ascii}[conversion](value) if conversion else value
        out.append(format(value, spec or ""))
    return "".join(out)


def fill_solution_comments(code: str, ns: dict) -> str:
    """Replace each ``{expression}`` inside the comments of ``code`` by its value in ``ns``.

    Only comments are touched (write ``{{`` for a literal brace in a comment); the code itself
    is shown as written.
    """
    lines = code.splitlines()
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type == tokenize.COMMENT and "{" in tok.string:
            row, col = tok.start
            lines[row - 1] = lines[row - 1][:col] + _fill_comment(tok.string, ns)
    return "\n".join(lines)
