"""Fixes that append a command to a RUN in the RUN's own layout (DKL102, DKL105, DKL106).

``&&`` on the same line, or a new continuation line in the leading-``&&`` or
trailing-``&&`` style; a new line in a heredoc body. Inserting a flag is
``common.insert_after``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dockerls.findings import Fix, TextEdit
from dockerls.rules.engine import RuleContext
from dockerls.rules.packages.program_names import BRACE_SHELLS
from dockerls.rules.packages.run_view import Run
from dockerls.rules.text_layout import indent, newline
from dockerls.syntax import Span


def append_after(ctx: RuleContext, run: Run, index: int, text: str) -> TextEdit | None:
    """An edit that runs ``text`` right after command ``index`` of the RUN, in the
    RUN's own layout (``&&`` on the same line, or a new continuation line in the
    leading-``&&`` or trailing-``&&`` style; a new line in a heredoc body).
    None where a shell command cannot be added safely (exec form, a pipeline)."""
    ins = run.at.ins
    commands = run.commands
    cmd = commands[index]
    if ins.exec_form is not None and not cmd.wrappers:
        return None
    nxt = commands[index + 1] if index + 1 < len(commands) else None
    if cmd.in_substitution or (nxt is not None and nxt.connector in ("|", "&")):
        return None
    end = max([cmd.span.end, *(r.span.end for r in cmd.redirects)])
    doc = ctx.document
    if end.line >= len(doc.lines):
        return None
    heredoc = next((h for h in ins.heredocs if h.body.span.start <= end <= h.body.span.end), None)
    inline = TextEdit(Span(end, end), f" && {text}")
    if (cmd.wrappers and cmd.wrappers[-1] in ("sh", *BRACE_SHELLS)) or ins.exec_form is not None:
        return inline  # inside a quoted command string: stay on its line
    first = heredoc.body.span.start.line if heredoc is not None else ins.span.start.line
    esc = "\\" if heredoc is not None else doc.escape
    nl = newline(doc)
    line = doc.lines[end.line]
    tail = line[end.column :].strip()
    own_line = (
        line[: cmd.span.start.column].strip() in ("", "&&") and cmd.span.start.line == end.line
    )
    previous = doc.lines[end.line - 1].rstrip() if end.line > first else ""
    trailing = re.search(r"&&\s*" + re.escape(esc) + "$", previous) is not None
    if tail == "":
        if own_line and line.lstrip().startswith("&&"):
            return TextEdit(Span(end, end), f" {esc}{nl}{indent(line)}&& {text}")
        if own_line and trailing:
            return TextEdit(Span(end, end), f" && {esc}{nl}{indent(line)}{text}")
        if heredoc is not None:
            return TextEdit(Span(end, end), f"{nl}{indent(line)}{text}")
        return inline
    if tail == esc:
        following = next(
            (
                doc.lines[k]
                for k in range(end.line + 1, min(ins.span.end.line + 1, len(doc.lines)))
                if doc.lines[k].strip() and not doc.lines[k].lstrip().startswith("#")
            ),
            "",
        )
        if following.lstrip().startswith("&&"):
            return TextEdit(Span(end, end), f" {esc}{nl}{indent(following)}&& {text}")
        return inline
    if own_line and re.fullmatch(r"&&\s*" + re.escape(esc), tail):
        return TextEdit(Span(end, end), f" && {esc}{nl}{indent(line)}{text}")
    return inline


def last_index(run: Run, programs: Iterable[str]) -> int:
    wanted = set(programs)
    return max(i for i, (prog, _) in enumerate(run.programs) if prog in wanted)


def append_fix(
    ctx: RuleContext, run: Run, programs: Iterable[str], text: str, title: str
) -> tuple[Fix, ...]:
    edit = append_after(ctx, run, last_index(run, programs), text)
    return (Fix(title, (edit,)),) if edit is not None else ()
