"""Provenance of a benchmark study: what its result depends on, as a hash that is stable across Pythons.

A stored result is only as good as the code that made it. A study's **source hash** covers

* the study function and, transitively, every function and class it uses that is defined in the
  course (``anomaly_helpers`` and ``benchmarks``): a helper it calls, the detector class it builds
  (with its ``__init__`` defaults, e.g. ``IsolationForestDetector``'s ``n_estimators``), the base
  classes and the functions those call;
* the UPPER_CASE constants those functions read, by value.

Each is hashed as its **token stream without comments and docstrings**: rewording a comment or a
docstring, or reformatting, changes nothing; changing a default, an operator or a name does. Token
streams are the same on Python 3.11, 3.12 and 3.13 (f-strings, which 3.12 splits into several tokens,
are taken back as one), unlike ``ast.dump``, whose text changes between versions.

The study's **parameters** are its keyword defaults and the UPPER_CASE constants of the study's module
and of the lesson modules it reads (``anomaly_helpers.exercises.lessonNN``), stored for a reader.
"""

from __future__ import annotations

import ast
import dataclasses
import dis
import hashlib
import importlib
import importlib.util
import inspect
import io
import json
import re
import textwrap
import tokenize
import types
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["TRACKED_PREFIXES", "canonical_tokens", "dependencies", "parameters", "source_hash"]

#: Modules whose functions and classes count as a study's code (the course's own code).
TRACKED_PREFIXES = ("anomaly_helpers", "benchmarks")
#: Modules whose constants are a study's stated parameters (besides the study's own module).
PARAMETER_PREFIXES = ("anomaly_helpers.exercises.", "anomaly_helpers.lessons.")
#: Names of the study machinery itself, never part of a study's code.
UNTRACKED = frozenset(
    {"study", "STUDIES", "ROOT", "RESULTS_FILE", "MARKDOWN_FILE", "DECIMALS", "TRACKED_PREFIXES", "UNTRACKED"}
)

_SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # Python >= 3.12
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)


def _tracked_module(name: str | None, own: Iterable[str] = ()) -> bool:
    return bool(name) and (name in own or name.split(".", 1)[0] in TRACKED_PREFIXES)


def _docstring_starts(tree: ast.AST) -> set[tuple[int, int]]:
    """(line, column) where each docstring of ``tree`` starts."""
    starts = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                starts.add((first.lineno, first.col_offset))
    return starts


def canonical_tokens(source: str) -> list[str]:
    """The token stream of ``source`` without comments, docstrings and layout, one string per token.

    Indentation counts (as INDENT/DEDENT, whatever their width); blank lines, comments, line breaks
    inside brackets, docstrings, import statements (the names they bind are followed instead) and the
    wording of error messages (strings in a ``raise`` statement) do not. The result is the same on
    Python 3.11 to 3.13.
    """
    source = textwrap.dedent(source)
    lines = source.splitlines(keepends=True)
    try:
        docstrings = _docstring_starts(ast.parse(source))
    except SyntaxError:  # a lambda's source is the fragment of the line(s) that hold it
        docstrings = set()
    out: list[str] = []
    skip_newline = in_raise = False
    tokens = _tolerant(tokenize.generate_tokens(io.StringIO(source).readline))
    for tok in tokens:
        if tok.type in _SKIPPED:
            continue
        if tok.type == tokenize.NEWLINE and skip_newline:
            skip_newline = False
            continue
        skip_newline = False
        if tok.type == tokenize.STRING and tok.start in docstrings:
            skip_newline = True
            continue
        if tok.type == tokenize.NAME and tok.string in ("import", "from") and (not out or out[-1] in _STATEMENT_START):
            _skip_statement(tokens)  # where a name comes from is not what the code does: the name is followed
            continue
        if tok.type == tokenize.NAME and tok.string == "raise":
            in_raise = True
        elif tok.type == tokenize.NEWLINE:
            in_raise = False
        if in_raise and tok.type in (tokenize.STRING, _FSTRING_START):  # an error message: wording only
            if tok.type == _FSTRING_START:
                _skip_fstring(tokens)
            out.append("STRING <message>")
            continue
        if _FSTRING_START is not None and tok.type == _FSTRING_START:
            # one f-string, however 3.12+ splits it, as 3.11's single STRING token
            out.append(f"STRING {_slice(lines, tok.start, _skip_fstring(tokens))}")
            continue
        if tok.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE):
            out.append(tokenize.tok_name[tok.type])
        else:
            out.append(f"{tokenize.tok_name[tok.type]} {tok.string}")
    return out


def _tolerant(tokens):
    """The tokens, ending quietly where a fragment (a lambda's lines) stops being valid Python."""
    try:
        yield from tokens
    except (tokenize.TokenError, IndentationError):
        return


_STATEMENT_START = ("NEWLINE", "INDENT", "DEDENT")


def _skip_statement(tokens) -> None:
    """Consume the tokens up to and including the end of the current logical line."""
    for inner in tokens:
        if inner.type == tokenize.NEWLINE:
            return


def _skip_fstring(tokens) -> tuple[int, int]:
    """Consume the tokens of an f-string whose FSTRING_START was just read; return where it ends."""
    depth = 1
    for inner in tokens:
        depth += (inner.type == _FSTRING_START) - (inner.type == _FSTRING_END)
        if depth == 0:
            return inner.end
    raise ValueError("an f-string without its end")  # pragma: no cover - tokenize raises first


def _slice(lines: list[str], start: tuple[int, int], end: tuple[int, int]) -> str:
    (r0, c0), (r1, c1) = start, end
    if r0 == r1:
        return lines[r0 - 1][c0:c1]
    return lines[r0 - 1][c0:] + "".join(lines[r0 : r1 - 1]) + lines[r1 - 1][:c1]


def _codes(obj: Any) -> list[types.CodeType]:
    """The code objects of a function, or of every method of a class (nested ones included)."""
    if isinstance(obj, type):
        found = []
        for value in vars(obj).values():
            value = getattr(value, "__func__", value)  # staticmethod, classmethod
            if isinstance(value, property):
                found += [f.__code__ for f in (value.fget, value.fset, value.fdel) if f is not None]
            elif isinstance(value, types.FunctionType):
                found.append(value.__code__)
        codes = found
    else:
        codes = [obj.__code__]
    todo, out = list(codes), []
    while todo:
        code = todo.pop()
        out.append(code)
        todo.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    return out


def _import(name: str) -> types.ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _resolve(namespaces: list[types.ModuleType], name: str, own: Iterable[str]) -> Any:
    for ns in namespaces:
        if name in vars(ns):
            return vars(ns)[name]
        if hasattr(ns, "__path__") and _tracked_module(ns.__name__, own):  # a submodule not imported yet
            sub = f"{ns.__name__}.{name}"
            try:
                found = importlib.util.find_spec(sub) is not None
            except (ImportError, ValueError):
                found = False
            if found:
                return _import(sub)
    return None


def _namespaces(obj: Any, codes: list[types.CodeType], own: Iterable[str]) -> list[types.ModuleType]:
    """The module of ``obj`` and the course modules its code imports or reaches as attributes."""
    spaces = [inspect.getmodule(obj)]
    for code in codes:
        module = None
        for ins in dis.get_instructions(code):
            if ins.opname == "IMPORT_NAME":
                module = _import(str(ins.argval)) if _tracked_module(str(ins.argval), own) else None
                if module is not None:
                    spaces.append(module)
            elif ins.opname == "IMPORT_FROM" and module is not None:
                value = getattr(module, str(ins.argval), None)
                if value is None and hasattr(module, "__path__"):
                    value = _import(f"{module.__name__}.{ins.argval}")
                if isinstance(value, types.ModuleType) and _tracked_module(value.__name__, own):
                    spaces.append(value)
    names = sorted({n for code in codes for n in code.co_names})
    grown = True
    while grown:  # modules reached by attribute (``detectors.make_detector``, ``ah.scoring``)
        grown = False
        for name in names:
            value = _resolve(spaces, name, own)
            if isinstance(value, types.ModuleType) and _tracked_module(value.__name__, own) and value not in spaces:
                spaces.append(value)
                grown = True
    return [s for s in spaces if s is not None]


def _key(obj: Any) -> str:
    # the object's identity too: several lambdas of one module share a qualified name
    return f"{obj.__module__}.{obj.__qualname__}@{id(obj):x}"


def dependencies(fn: Callable) -> tuple[dict[str, Any], dict[str, Any]]:
    """The course's functions and classes ``fn`` uses, transitively, and the UPPER_CASE constants they read.

    Returns
    -------
    tuple of dict
        ``({"module.qualname@id": function or class}, {"module.NAME": value})``.
    """
    own = {fn.__module__}
    objects: dict[str, Any] = {}
    constants: dict[str, Any] = {}
    todo: list[Any] = [fn]
    while todo:
        obj = todo.pop()
        if not isinstance(obj, type):
            obj = inspect.unwrap(obj)  # the function under a cache or a decorator
        if _key(obj) in objects:
            continue
        objects[_key(obj)] = obj
        if isinstance(obj, type):  # its course base classes are part of it
            todo += [b for b in obj.__mro__[1:] if _tracked_module(b.__module__, own)]
        codes = _codes(obj)
        spaces = _namespaces(obj, codes, own)
        for name in sorted({n for code in codes for n in code.co_names}):
            if name in UNTRACKED:
                continue
            value = _resolve(spaces, name, own)
            if _is_code(value):
                target = inspect.unwrap(value) if not isinstance(value, type) else value
                if _tracked_module(getattr(target, "__module__", None), own):
                    todo.append(target)
                continue
            # a registry ({"iforest": the class}) or a table of builders: the code it holds is used too
            todo += [m for m in _nested(value) if _is_code(m) and _tracked_module(getattr(m, "__module__", None), own)]
            if name.isupper() and not isinstance(value, types.ModuleType) and value is not None:
                where = next(ns.__name__ for ns in spaces if name in vars(ns))
                constants[f"{where}.{name}"] = value
    return objects, constants


def _is_code(value: Any) -> bool:
    """A function or class (or a function under a cache or decorator)."""
    return isinstance(value, (types.FunctionType, type)) or callable(getattr(value, "__wrapped__", None))


def source_hash(fn: Callable) -> str:
    """SHA-256 of the token streams of everything ``fn`` uses in the course, and of its constants.

    Objects and constants enter by name, not by module: code that moves to another module unchanged
    (a lesson's settings moved out of its exercise module) keeps the hash.
    """
    objects, constants = dependencies(fn)
    parts = sorted(
        f"def {obj.__qualname__}\n" + "\n".join(canonical_tokens(inspect.getsource(obj))) for obj in objects.values()
    )
    parts += sorted(f"const {key.rsplit('.', 1)[-1]} = {_stable_repr(value)}" for key, value in constants.items())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _fields(value: Any) -> dict[str, Any] | None:
    """The fields of a dataclass or named tuple instance, else None."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return dict(zip(value._fields, value, strict=True))
    return None


def _nested(value: Any, depth: int = 0) -> list[Any]:
    """The values inside containers, dataclasses and named tuples, recursively (a few levels)."""
    if depth > 4:
        return []
    fields = _fields(value)
    if fields is not None:
        members = list(fields.values())
    elif isinstance(value, dict):
        members = list(value.values())
    elif isinstance(value, (list, tuple, set, frozenset)):
        members = list(value)
    else:
        return []
    return members + [m for v in members for m in _nested(v, depth + 1)]


def _stable_repr(value: Any) -> str:
    """``repr``, with functions and classes by their names (not the module or address they live at)."""
    if _is_code(value):
        return f"<{getattr(value, '__qualname__', type(value).__name__)}>"
    fields = _fields(value)
    if fields is not None:
        return f"{type(value).__name__}(" + ", ".join(f"{k}={_stable_repr(v)}" for k, v in fields.items()) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_stable_repr(k)}: {_stable_repr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_stable_repr(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_stable_repr(v) for v in value)) + "}"
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))


def parameters(fn: Callable) -> dict[str, Any]:
    """The study's stated parameters: its keyword defaults and the constants of its module and lesson modules."""
    params = {p.name: p.default for p in inspect.signature(fn).parameters.values() if p.default is not p.empty}
    for key, value in dependencies(fn)[1].items():
        module, name = key.rsplit(".", 1)
        if module == fn.__module__:
            params[name] = value
        elif module.startswith(PARAMETER_PREFIXES):
            params[f"{module.rsplit('.', 1)[-1]}.{name}"] = value
    return json.loads(json.dumps(params, default=repr))
