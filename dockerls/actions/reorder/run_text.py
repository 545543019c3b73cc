"""The text of a RUN beyond the commands the shell layer lists: syntax it does not follow
(``if``, ``[ -f x ]``, ``{``), where a command ends, and whether two commands are joined
by a plain ``&&`` (where a RUN may be split)."""

from __future__ import annotations

import re

from dockerls.actions.reorder.core import Source
from dockerls.rules.engine import RuleContext
from dockerls.shell import Command
from dockerls.syntax import Instruction, Position


def unlisted_syntax(ctx: RuleContext, ins: Instruction) -> str | None:
    """Shell text of a RUN that is neither a listed command nor a separator: ``if``,
    ``[ -f x ]``, ``for``, ``{``... (the shell layer does not list them as commands)."""
    if ins.exec_form is not None or ins.rest is None:
        return None
    script = ctx.script(ins)
    src = Source(ctx.document)
    start = src.offset(ins.rest.span.start)
    end = src.offset(ins.span.end)
    chars = list(src.text[start:end])
    spans = [c.span for c in script.commands] + [a.span for a in script.assignments]
    spans += [r.span for c in script.commands for r in c.redirects]
    spans += [h.marker.span for h in ins.heredocs]
    spans += [h.terminator for h in ins.heredocs if h.terminator is not None]
    for span in spans:
        for i in range(max(src.offset(span.start), start), min(src.offset(span.end), end)):
            chars[i - start] = " "
    escape = ctx.document.escape
    for line in re.split(r"\r\n|\r|\n", "".join(chars)):
        text = line.strip()
        if text.startswith("#"):
            continue
        if text.endswith(escape):
            text = text[: -len(escape)]
        leftover = text.replace("&&", " ").replace("||", " ")
        for ch in ";|&":
            leftover = leftover.replace(ch, " ")
        if leftover.strip():
            return leftover.split()[0]
    return None


def command_end(cmd: Command) -> Position:
    end = cmd.span.end
    for redirect in cmd.redirects:
        end = max(end, redirect.span.end)
    return end


def separator_ok(src: Source, start: Position, end: Position, escape: str) -> bool:
    """Whether the text between two commands is exactly ``&&`` (with blanks, continuations
    and comment lines around it)."""
    text = src.slice(start, end)
    kept: list[str] = []
    for n, line in enumerate(re.split(r"\r\n|\r|\n", text)):
        stripped = line.strip()
        if n > 0 and stripped.startswith("#"):
            continue
        if stripped.endswith(escape):
            stripped = stripped[: -len(escape)]
        kept.append(stripped)
    return "".join(kept).strip() == "&&"
