"""Semantic tokens: ``semantic_tokens(doc)`` over a small legend.

Each token is one line long, tokens are sorted and never overlap. ``tokens_in(tokens,
span)`` keeps those a range touches (``semanticTokens/range``). Overlaps between
the model's spans (a ``$VAR`` inside a quoted value, say) are resolved by painting:
a more specific kind wins over the value it sits in. A span running over several
lines is split at the line breaks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from dockerls.syntax import Dockerfile, Instruction, Position, Span
from dockerls.syntax.parser import INSTRUCTIONS
from dockerls.syntax.variables import references

__all__ = ["TOKEN_MODIFIERS", "TOKEN_TYPES", "SemanticToken", "semantic_tokens", "tokens_in"]

TOKEN_TYPES: tuple[str, ...] = (
    "keyword",
    "comment",
    "parameter",  # flags
    "variable",
    "string",
    "operator",
    "property",  # ENV/LABEL keys
    "namespace",  # stage names
    "macro",  # parser directives
)
TOKEN_MODIFIERS: tuple[str, ...] = ("declaration", "deprecated")


class SemanticToken(NamedTuple):
    line: int
    start: int  # code-point column
    length: int  # in code points
    type: str  # one of TOKEN_TYPES
    modifiers: tuple[str, ...] = ()


_Paint = tuple[str, tuple[str, ...]]
# Later layers win where spans overlap.
_LAYERS = {"string": 0, "property": 1, "namespace": 1, "parameter": 1, "keyword": 1}
_LAYERS |= {"operator": 1, "macro": 1, "variable": 2, "comment": 3}


def semantic_tokens(doc: Dockerfile) -> list[SemanticToken]:
    marks: list[tuple[Span, str, tuple[str, ...]]] = []
    stage_names = {s.name_lower for s in doc.stages if s.name_lower}
    for directive in doc.directives:
        name = directive.name.span
        marks.append((Span(directive.span.start, name.start), "comment", ()))
        marks.append((name, "macro", ()))
        marks.append((directive.value.span, "string", ()))
    for comment in doc.comments:
        marks.append((comment.span, "comment", ()))
    for ins in doc.instructions:
        _instruction(doc, ins, stage_names, marks)
    return _paint(doc, marks)


def tokens_in(tokens: Iterable[SemanticToken], span: Span) -> list[SemanticToken]:
    """The tokens that overlap ``span`` (whole tokens, never cut), still in order.

    A token touching an end of the range without covering any of it is left out; an
    empty range keeps the token it sits inside.
    """
    start, end = span.start, span.end
    if end < start:
        start, end = end, start
    kept = []
    for token in tokens:
        first = Position(token.line, token.start)
        last = Position(token.line, token.start + token.length)
        if (first < end and start < last) or (start == end and first <= start < last):
            kept.append(token)
    return kept


def _instruction(
    doc: Dockerfile,
    ins: Instruction,
    stage_names: set[str],
    marks: list[tuple[Span, str, tuple[str, ...]]],
) -> None:
    if ins.name in INSTRUCTIONS:
        mods = ("deprecated",) if ins.name == "MAINTAINER" else ()
        marks.append((ins.keyword.span, "keyword", mods))
    for flag in ins.flags:
        name_end = flag.name.span.end
        marks.append((Span(flag.span.start, name_end), "parameter", ()))
        if flag.value is not None:
            marks.append((Span(name_end, flag.value.span.start), "operator", ()))
            stage = flag.name.text.lower() == "from" and flag.value.text.lower() in stage_names
            marks.append((flag.value.span, "namespace" if stage else "string", ()))
    if ins.name == "FROM" and ins.args:
        first = ins.args[0]
        if first.text.lower() in stage_names:
            marks.append((first.span, "namespace", ()))
        if len(ins.args) >= 3 and ins.args[1].text.upper() == "AS":
            marks.append((ins.args[1].span, "keyword", ()))
            marks.append((ins.args[2].span, "namespace", ("declaration",)))
    if ins.name == "HEALTHCHECK" and ins.args and ins.args[0].text.upper() in ("CMD", "NONE"):
        marks.append((ins.args[0].span, "keyword", ()))
    for pair in ins.pairs:
        kind = "variable" if ins.name == "ARG" else "property"
        marks.append((pair.key.span, kind, ("declaration",) if ins.name != "LABEL" else ()))
        if pair.raw_value is not None:
            if not pair.legacy:
                marks.append((Span(pair.key.span.end, pair.raw_value.span.start), "operator", ()))
            marks.append((pair.raw_value.span, "string", ()))
    if ins.exec_form is not None:
        for element in ins.exec_form.elements:
            marks.append((element.span, "string", ()))
    for heredoc in ins.heredocs:
        marks.append((heredoc.marker.span, "operator", ()))
        if ins.name != "RUN":
            marks.append((heredoc.body.span, "string", ()))
        if heredoc.terminator is not None:
            marks.append((heredoc.terminator, "operator", ()))
    for ref in references(ins, doc.escape):
        marks.append((ref.span, "variable", ()))
    if ins.trigger is not None:
        _instruction(doc, ins.trigger, stage_names, marks)


def _pieces(doc: Dockerfile, span: Span) -> Iterable[tuple[int, int, int]]:
    """``span`` cut into (line, start, end) pieces, one per line, clamped to the text."""
    start, end = span.start, span.end
    last = min(end.line, len(doc.lines) - 1)
    for line in range(max(start.line, 0), last + 1):
        size = len(doc.lines[line])
        a = start.column if line == start.line else 0
        b = end.column if line == end.line else size
        a, b = max(0, min(a, size)), max(0, min(b, size))
        if b > a:
            yield line, a, b


def _paint(doc: Dockerfile, marks: list[tuple[Span, str, tuple[str, ...]]]) -> list[SemanticToken]:
    canvas: dict[int, list[_Paint | None]] = {}
    for span, kind, mods in sorted(marks, key=lambda m: _LAYERS[m[1]]):
        for line, a, b in _pieces(doc, span):
            row = canvas.get(line)
            if row is None:
                row = canvas[line] = [None] * len(doc.lines[line])
            for col in range(a, b):
                row[col] = (kind, mods)
    tokens: list[SemanticToken] = []
    for line in sorted(canvas):
        row = canvas[line]
        text = doc.lines[line]
        col = 0
        while col < len(row):
            paint = row[col]
            end = col + 1
            while end < len(row) and row[end] == paint:
                end += 1
            if paint is not None:
                # Blanks at either end (a multi-line value's indentation) are not the token.
                a, b = col, end
                while a < b and text[a] in " \t":
                    a += 1
                while b > a and text[b - 1] in " \t":
                    b -= 1
                if b > a:
                    tokens.append(SemanticToken(line, a, b - a, paint[0], paint[1]))
            col = end
    return tokens
