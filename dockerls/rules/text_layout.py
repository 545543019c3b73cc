"""The file's own layout: its line breaks, indentation and the lines an instruction
occupies, so that edits keep the user's formatting.
"""

from __future__ import annotations

from dockerls.syntax import Dockerfile, Instruction, Position, Span


def line_no(span: Span) -> int:
    """The 1-based line a span starts on, for messages."""
    return span.start.line + 1


def newline(doc: Dockerfile) -> str:
    """The line break the file uses."""
    text = doc.text
    if "\r\n" in text:
        return "\r\n"
    return "\r" if "\r" in text and "\n" not in text else "\n"


def indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def open_at_end(doc: Dockerfile, ins: Instruction) -> bool:
    """Whether lines added right after ``ins`` would become part of it: it has a heredoc
    that is never terminated, or its last line ends with the escape character (the file
    ends inside a continuation). A fix must then not add instructions after it."""
    if any(h.terminator is None for h in ins.heredocs):
        return True
    if ins.heredocs:
        return False
    comments = {c.span.start.line for c in ins.comments}
    for line in range(min(ins.end_line, len(doc.lines) - 1), ins.start_line - 1, -1):
        text = doc.lines[line].rstrip(" \t")
        if text and line not in comments:
            return text.endswith(doc.escape)
    return False


def whole_lines(doc: Dockerfile, ins: Instruction) -> Span:
    """The lines an instruction occupies, with one line break."""
    lines = doc.lines
    if ins.end_line + 1 < len(lines):
        return Span(Position(ins.start_line, 0), Position(ins.end_line + 1, 0))
    if ins.start_line > 0:
        previous = ins.start_line - 1
        return Span(
            Position(previous, len(lines[previous])),
            Position(ins.end_line, len(lines[ins.end_line])),
        )
    return Span(Position(ins.start_line, 0), Position(ins.end_line, len(lines[ins.end_line])))
