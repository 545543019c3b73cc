"""The edits of a rewrite: whole inserted lines in the file's line-break style,
indentation and keyword case, moved lines byte for byte, every other line untouched."""

from __future__ import annotations

import json

from dockerls.actions.reorder.core import Copy, Files, Move, Prefetch, Source, flag_text
from dockerls.actions.reorder.run_text import command_end
from dockerls.findings import TextEdit
from dockerls.rules.engine import RuleContext
from dockerls.shell import Command
from dockerls.syntax import Dockerfile, Instruction, Position, Span, Token


def edits_for(
    ctx: RuleContext,
    src: Source,
    copy: Copy,
    *,
    anchor: Instruction,
    install: Instruction,
    shape: Move | Prefetch,
    files: Files,
    subdir: str,
    down: bool,
) -> tuple[TextEdit, ...]:
    doc = ctx.document
    nl = src.newline
    at = install if down else anchor
    manifest = _manifest_lines(src, copy, files, subdir, src.indent(at))
    install_start = _block_start(doc, install)
    anchor_start = _block_start(doc, anchor)
    edits: list[TextEdit] = []

    if isinstance(shape, Prefetch):
        moved = _prefetch_line(src, install, shape, src.indent(at)) + nl
    elif shape.whole:
        moved = src.lines(install_start, install.end_line)
    else:
        moved = _split_head(src, install, shape, ctx) + nl

    if down:
        copy_text = src.lines(anchor_start, anchor.end_line)
        edits.append(_delete_lines(src, anchor_start, anchor.end_line))
        if isinstance(shape, Move) and shape.whole:
            span = Span(Position(install_start, 0), Position(install.end_line + 1, 0))
            edits.append(TextEdit(span, manifest + moved + _ensure_nl(copy_text, nl)))
        else:
            point = Position(install_start, 0)
            edits.append(TextEdit(Span(point, point), manifest + moved + copy_text))
    else:
        gap = ""
        if isinstance(shape, Move) and shape.whole:
            removal = _delete_lines(src, install_start, install.end_line)
            if removal.span.start.line < install_start:
                gap = nl
            edits.append(removal)
        point = Position(anchor_start, 0)
        edits.insert(0, TextEdit(Span(point, point), manifest + moved + gap))
    if isinstance(shape, Move) and not shape.whole:
        edits.append(_split_tail(src, install, shape, ctx))
    return tuple(edits)


def _ensure_nl(text: str, nl: str) -> str:
    return text if text.endswith(("\n", "\r")) else text + nl


def _delete_lines(src: Source, first: int, last: int) -> TextEdit:
    """Delete whole lines; when blank lines surround them, one blank line goes too."""
    doc = src.doc
    previous_end = max((i.end_line for i in doc.instructions if i.end_line < first), default=-1)
    if (
        src.blank(first - 1)
        and first - 1 > previous_end
        and (last + 1 >= len(doc.lines) or src.blank(last + 1))
    ):
        first -= 1
    return TextEdit(Span(Position(first, 0), Position(last + 1, 0)), "")


def _keyword(word: str, like: Token) -> str:
    return word.lower() if like.text.islower() else word


def _gap_after_keyword(src: Source, ins: Instruction) -> str:
    line = src.doc.lines[ins.start_line] if ins.start_line < len(src.doc.lines) else ""
    rest = line[ins.keyword.span.end.column :]
    gap = rest[: len(rest) - len(rest.lstrip(" \t"))]
    return gap if gap and ins.keyword.span.end.line == ins.start_line else " "


def _manifest_lines(src: Source, copy: Copy, files: Files, subdir: str, indent: str) -> str:
    """``COPY [flags] package.json package-lock.json ./`` (one COPY per directory)."""
    keyword = _keyword("COPY", copy.ins.keyword)
    gap = _gap_after_keyword(src, copy.ins)
    flags = "".join(f + " " for f in copy.flags)
    dest = copy.dest + subdir
    by_directory: dict[str, list[str]] = {}
    base = copy.prefix
    for name in files.names:
        relative = name[len(base) :] if name.startswith(base) else name
        directory = relative.rsplit("/", 1)[0] + "/" if "/" in relative else ""
        by_directory.setdefault(directory, []).append(name)
    lines = [
        f"{indent}{keyword}{gap}{flags}{' '.join(names)} {dest}{directory}"
        for directory, names in by_directory.items()
    ]
    for directory in files.directories:
        relative = directory[len(base) :] if directory.startswith(base) else directory
        lines.append(f"{indent}{keyword}{gap}{flags}{directory} {dest}{relative}/")
    return "".join(line + src.newline for line in lines)


def _prefetch_line(src: Source, install: Instruction, shape: Prefetch, indent: str) -> str:
    keyword = _keyword("RUN", install.keyword)
    gap = _gap_after_keyword(src, install)
    flags = "".join(flag_text(src, f) + " " for f in install.flags)
    body = json.dumps(list(shape.argv)) if shape.argv is not None else shape.shell
    return f"{indent}{keyword}{gap}{flags}{body}"


def _moved_commands(ctx: RuleContext, install: Instruction, shape: Move) -> list[Command]:
    return list(ctx.script(install).commands[shape.first : shape.last + 1])


def _split_head(src: Source, install: Instruction, shape: Move, ctx: RuleContext) -> str:
    """The RUN's keyword and flags as written, then the moved commands as written."""
    commands = _moved_commands(ctx, install, shape)
    header = src.slice(Position(install.start_line, 0), commands[0].span.start)
    body = src.slice(commands[0].span.start, max(command_end(c) for c in commands))
    return header + body


def _split_tail(src: Source, install: Instruction, shape: Move, ctx: RuleContext) -> TextEdit:
    """Remove the moved commands and the ``&&`` after them from the RUN."""
    commands = ctx.script(install).commands
    start = commands[shape.first].span.start
    boundary = min(c.span.start for c in commands[shape.last + 1 :])
    return TextEdit(Span(start, boundary), "")


def _block_start(doc: Dockerfile, ins: Instruction) -> int:
    """The first line of the comments directly above ``ins`` (they belong to it)."""
    previous_end = -1
    for other in doc.instructions:
        if other.end_line < ins.start_line:
            previous_end = max(previous_end, other.end_line)
    for directive in doc.directives:
        previous_end = max(previous_end, directive.span.end.line)
    line = ins.start_line
    while line - 1 > previous_end and doc.lines[line - 1].lstrip().startswith("#"):
        line -= 1
    return line
