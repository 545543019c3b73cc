"""Source spans for findings: a piece of a token, the whole lines of an instruction.

Used by DKL503, DKL505, DKL508, DKL512, DKL514, the stage references and buildkit_checks.
"""

from __future__ import annotations

from dockerls.syntax import Instruction, Span, Token


def piece(ins: Instruction | None, token: Token, start: int, end: int) -> Span:
    """The source span of ``token.text[start:end]`` (the whole token when unmappable)."""
    span = token.span
    if span.start.line == span.end.line and span.end.column - span.start.column == len(token.text):
        col = span.start.column
        return Span.of(span.start.line, col + start, None, col + end)
    if ins is not None and ins.rest is not None:
        for offset, line, column in ins.rest_segments:
            if line == span.start.line and column <= span.start.column:
                base = offset + span.start.column - column
                if ins.rest.text[base : base + len(token.text)] == token.text:
                    return ins.locate_span(base + start, base + end)
    return span


def whole_lines(first: int, last: int) -> Span:
    """From the start of line ``first`` to the start of the line after ``last``."""
    return Span.of(first, 0, last + 1, 0)


def instruction_lines(ins: Instruction) -> Span:
    return whole_lines(ins.start_line, ins.end_line)
