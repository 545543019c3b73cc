"""Conservative formatting: ``format_document``, ``format_range`` and ``format_on_type``.

What it changes, line by line, and nothing else:

- instruction keywords (and ``AS`` in ``FROM``) are upper-cased;
- white space before an instruction's first line is removed;
- continuation lines (and comments inside a continuation) get one indent level,
  unless that would change what the builder reads: a continuation line is
  re-indented only when it is already separated from the previous chunk by white
  space and the line break is not inside quotes;
- trailing white space is trimmed, except in heredoc bodies and terminators.

Heredoc bodies, JSON forms and argument text are never touched; escape characters
stay where they are; line breaks (``\\r\\n`` included) are kept because every edit
stays within one line. Formatting twice changes nothing the second time.

``format_on_type`` answers the escape character typed at the end of a line: the
lines that now continue the instruction get the same treatment, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from dockerls.findings import TextEdit
from dockerls.syntax import Dockerfile, Instruction, Position, Span
from dockerls.syntax.parser import INSTRUCTIONS

__all__ = ["FormatOptions", "format_document", "format_on_type", "format_range"]


@dataclass(frozen=True, slots=True)
class FormatOptions:
    tab_size: int = 4
    insert_spaces: bool = True

    @property
    def indent(self) -> str:
        return " " * max(self.tab_size, 0) if self.insert_spaces else "\t"


def format_document(doc: Dockerfile, options: FormatOptions | None = None) -> list[TextEdit]:
    """The edits that format the whole document (each within one line), in order."""
    options = options or FormatOptions()
    new_lines = _format_lines(doc, options)
    edits: list[TextEdit] = []
    for index, (old, new) in enumerate(zip(doc.lines, new_lines, strict=True)):
        if old != new:
            edits.append(_line_edit(doc, index, old, new))
    return edits


def format_range(
    doc: Dockerfile, span: Span, options: FormatOptions | None = None
) -> list[TextEdit]:
    """The edits of ``format_document`` on the lines ``span`` touches."""
    last = span.end.line
    if span.end.column == 0 and span.end.line > span.start.line:
        last -= 1
    return [
        e for e in format_document(doc, options) if span.start.line <= e.span.start.line <= last
    ]


def format_on_type(
    doc: Dockerfile, pos: Position, typed: str, options: FormatOptions | None = None
) -> list[TextEdit]:
    """After ``typed`` at ``pos``: when it is the escape character ending a line, the
    edits of ``format_document`` on the continuation lines of that instruction."""
    if typed != doc.escape or not 0 <= pos.line < len(doc.lines):
        return []
    line = doc.lines[pos.line]
    if _continues(line, doc.escape) != pos.column - 1:
        return []  # not typed as the last character of the line
    ins = doc.instruction_at(pos)
    if ins is None:
        return []
    last = ins.span.end.line
    if ins.span.end.column == 0 and last > ins.span.start.line:
        last -= 1
    return [e for e in format_document(doc, options) if pos.line < e.span.start.line <= last]


def _line_edit(doc: Dockerfile, index: int, old: str, new: str) -> TextEdit:
    start = 1 if index == 0 and doc.bom else 0
    # Keep the edit small: drop the common prefix and suffix.
    prefix = start
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(old), len(new)) - prefix
        and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]
    ):
        suffix += 1
    return TextEdit(
        Span.of(index, prefix, None, len(old) - suffix), new[prefix : len(new) - suffix]
    )


def _format_lines(doc: Dockerfile, options: FormatOptions) -> list[str]:
    lines = list(doc.lines)
    protected: set[int] = set()
    for ins in doc.instructions:
        for heredoc in ins.heredocs:
            first = heredoc.body.span.start.line
            last = heredoc.terminator.end.line if heredoc.terminator else len(lines) - 1
            if heredoc.body.span.start == heredoc.body.span.end and heredoc.terminator is None:
                first = heredoc.marker.span.end.line + 1
            protected.update(range(first, last + 1))
    handled: set[int] = set()
    for ins in doc.instructions:
        handled.update(_format_instruction(doc, ins, lines, protected, options))
    for index, line in enumerate(lines):
        if index in protected or index in handled:
            continue
        lines[index] = line.rstrip(" \t")
    return lines


def _prefix(doc: Dockerfile, index: int) -> tuple[str, str]:
    """A line split into the BOM (on line 0) and the rest."""
    line = doc.lines[index]
    if index == 0 and doc.bom:
        return line[:1], line[1:]
    return "", line


def _continues(line: str, escape: str) -> int | None:
    end = len(line.rstrip(" \t"))
    if end > 0 and line[end - 1] == escape:
        return end - 1
    return None


def _quote_state(text: str, escape: str, quote: str) -> str:
    """The open quote (``""``, ``"'"`` or ``'"'``) after reading ``text`` from ``quote``."""
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if quote == "'":
            if ch == "'":
                quote = ""
        elif ch == escape:
            i += 1
        elif quote == '"':
            if ch == '"':
                quote = ""
        elif ch in "'\"":
            quote = ch
        i += 1
    return quote


def _format_instruction(
    doc: Dockerfile,
    ins: Instruction,
    lines: list[str],
    protected: set[int],
    options: FormatOptions,
) -> set[int]:
    """Format the logical lines of ``ins`` in ``lines``; return the lines handled."""
    escape = doc.escape
    first = ins.span.start.line
    if first in protected:
        return set()
    bom, text = _prefix(doc, first)
    stripped = text.lstrip(" \t")
    cut = _continues(stripped, escape)
    chunk = stripped if cut is None else stripped[:cut]
    new_first = _upper_words(ins, first, bom, text)
    if first == 0 and not bom and stripped.startswith("\ufeff"):
        new_first = text  # removing the blanks would turn the character into a BOM
    keyword_end = next((i for i, ch in enumerate(chunk) if ch.isspace()), len(chunk))
    quote = _quote_state(chunk[keyword_end:], escape, "")  # quotes count after the keyword
    # Trailing blanks inside an unterminated quote are read by the builder: keep them.
    lines[first] = new_first if cut is None and quote else new_first.rstrip(" \t")
    handled = {first}
    reindent = _words_only(ins)
    previous_chunk = chunk
    index = first
    while cut is not None and index + 1 < len(lines):
        index += 1
        if index in protected:
            break
        handled.add(index)
        bom, line = _prefix(doc, index)
        body = line.lstrip(" \t")
        if not body:
            lines[index] = bom
            continue
        if body.startswith("#"):
            lines[index] = bom + options.indent + body.rstrip(" \t")
            continue
        cut = _continues(line, escape)
        chunk = line if cut is None else line[:cut]
        separated = line[:1] in (" ", "\t") or previous_chunk[-1:] in (" ", "\t")
        new = line
        if reindent and separated and quote == "" and chunk.strip():
            new = options.indent + body
        quote = _quote_state(chunk, escape, quote)
        lines[index] = bom + (new if cut is None and quote else new.rstrip(" \t"))
        previous_chunk = chunk
    return handled


# Instructions whose arguments the builder (or the shell) splits into words, so the
# amount of white space between words outside quotes does not matter.
_WORDS = frozenset(
    {"RUN", "CMD", "ENTRYPOINT", "SHELL", "FROM", "COPY", "ADD", "EXPOSE", "VOLUME", "ARG"}
    | {"ENV", "LABEL", "HEALTHCHECK"}
)


def _words_only(ins: Instruction) -> bool:
    """White space between words is insignificant in ``ins`` (so re-indenting is safe)."""
    target = ins.trigger if ins.name == "ONBUILD" else ins
    if target is None or target.name not in _WORDS:
        return False  # WORKDIR, USER, MAINTAINER… take their text as written
    return not any(pair.legacy for pair in target.pairs)  # ``ENV key value words``


def _upper_words(ins: Instruction, line: int, bom: str, text: str) -> str:
    """The first line without leading blanks, keywords (and FROM's ``AS``) upper-cased."""
    stripped = text.lstrip(" \t")
    shift = len(text) - len(stripped) + len(bom)  # columns removed (BOM kept in front)
    out = list(stripped)

    def upper(span: Span) -> None:
        if span.start.line != line or span.end.line != line:
            return
        for col in range(span.start.column, span.end.column):
            pos = col - shift
            if 0 <= pos < len(out):
                out[pos] = out[pos].upper()

    current: Instruction | None = ins
    while current is not None:
        if current.name in INSTRUCTIONS:
            upper(current.keyword.span)
        if (
            current is ins
            and current.name == "FROM"
            and len(current.args) >= 3
            and current.args[1].text.upper() == "AS"
        ):
            upper(current.args[1].span)
        current = current.trigger
    return bom + "".join(out)
