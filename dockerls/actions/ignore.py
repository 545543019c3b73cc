"""The edits that silence a finding with a ``# dockerls:`` pragma (pure).

Two scopes, matching ``dockerls.suppression``:

- ``ignore_instruction``: ``# dockerls: ignore=CODE`` on its own line directly above
  the instruction holding the finding, indented like it, or ``,CODE`` added to a
  ``# dockerls: ignore=`` comment already in the comment lines directly above it;
- ``ignore_file``: ``# dockerls: ignore-file=CODE`` after the parser directives and
  the leading comment block, or ``,CODE`` added to an existing ``ignore-file`` pragma.

Inserted lines end with the file's own line break, and never go before a byte
order mark or between parser directives (a comment there would end them).
"""

from __future__ import annotations

import re

from dockerls.findings import Finding, TextEdit
from dockerls.syntax import Dockerfile, Instruction, Position, Span

_PRAGMA = re.compile(r"^#\s*dockerls:\s*(ignore|ignore-file)\s*=\s*(.*?)\s*$", re.IGNORECASE)
BOM = "\ufeff"


def newline_of(text: str) -> str:
    """The file's line break: the first one it uses, ``\\n`` when it has none."""
    at = text.find("\n")
    lone_cr = text.find("\r")
    if at < 0:
        return "\r" if lone_cr >= 0 else "\n"
    if at > 0 and text[at - 1] == "\r":
        return "\r\n"
    if 0 <= lone_cr < at:
        return "\r"
    return "\n"


def _codes(listed: str) -> set[str]:
    return {c.strip().lower() for c in re.split(r"[,\s]+", listed) if c.strip()}


def _line_text(doc: Dockerfile, line: int) -> str:
    text = doc.lines[line] if 0 <= line < len(doc.lines) else ""
    return text[1:] if line == 0 and doc.bom else text


def _line_start(doc: Dockerfile, line: int) -> Position:
    """Where text inserted 'at the start of' ``line`` goes (after a BOM on line 0)."""
    return Position(line, 1 if line == 0 and doc.bom else 0)


def _pragma(doc: Dockerfile, line: int, scope: str) -> tuple[Position, set[str]] | None:
    """The end of the code list and the codes of a ``scope`` pragma on ``line``."""
    text = _line_text(doc, line)
    match = _PRAGMA.match(text.strip())
    if match is None or match.group(1).lower() != scope:
        return None
    offset = len(doc.lines[line]) - len(text)  # the BOM, if any
    end = offset + len(text.rstrip())
    return Position(line, end), _codes(match.group(2))


def _append(at: Position, codes: set[str], code: str) -> TextEdit | None:
    if code.lower() in codes or "all" in codes:
        return None  # already silenced
    return TextEdit(Span(at, at), f",{code}" if codes else code)


def instruction_of(doc: Dockerfile, finding: Finding) -> Instruction | None:
    """The top-level instruction whose lines hold the start of the finding."""
    return doc.instruction_at(finding.span.start)


def ignore_instruction(doc: Dockerfile, finding: Finding) -> TextEdit | None:
    """Silence ``finding`` for its instruction; None when it is on no instruction."""
    ins = instruction_of(doc, finding)
    if ins is None:
        return None
    comment_lines = {c.span.start.line for c in doc.comments}
    line = ins.start_line - 1
    # The comment block directly above (blank lines included, as suppression reads it).
    while line >= 0 and (line in comment_lines or not _line_text(doc, line).strip()):
        found = _pragma(doc, line, "ignore") if line in comment_lines else None
        if found is not None:
            return _append(found[0], found[1], finding.code)
        line -= 1
    first = _line_text(doc, ins.start_line)
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    at = _line_start(doc, ins.start_line)
    pragma = f"{indent}# dockerls: ignore={finding.code}{newline_of(doc.text)}"
    return TextEdit(Span(at, at), pragma)


def ignore_file(doc: Dockerfile, code: str) -> TextEdit | None:
    """Silence ``code`` in the whole file; None when a pragma already does."""
    for comment in doc.comments:
        found = _pragma(doc, comment.span.start.line, "ignore-file")
        if found is not None:
            return _append(found[0], found[1], code)
    comment_lines = {c.span.start.line for c in doc.comments}
    directive_lines = {d.span.start.line for d in doc.directives}
    line = 0
    while line < len(doc.lines) and (line in directive_lines or line in comment_lines):
        line += 1
    newline = newline_of(doc.text)
    pragma = f"# dockerls: ignore-file={code}"
    if line == len(doc.lines):
        # Nothing but directives and comments, and no line break at the end.
        last = len(doc.lines) - 1
        end = Position(last, len(doc.lines[last]))
        return TextEdit(Span(end, end), newline + pragma)
    at = _line_start(doc, line)
    return TextEdit(Span(at, at), pragma + newline)
