"""DKL522 empty-continuation-line: A blank line inside a continued instruction."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix, TextEdit
from dockerls.rules.correctness.spans import whole_lines
from dockerls.rules.doc_links import BUILD_CHECKS, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Instruction, Position, Severity, Span


def _logical_last_line(ins: Instruction) -> int:
    """The last line of the instruction itself (heredoc bodies excluded)."""
    if ins.heredocs:
        return max(ins.start_line, ins.heredocs[0].marker.span.end.line)
    return ins.end_line


@rule(
    "DKL522",
    "empty-continuation-line",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="A blank line inside a continued instruction.",
    docs=RuleDocs(
        what="An empty (or white-space only) line between the lines of an instruction "
        "continued with the escape character. Heredoc bodies are not affected.",
        why="The builder skips the blank line today, but BuildKit deprecates it ('Empty "
        "continuation lines will become errors in a future release'). It also often "
        "hides a mistake: a stray escape at the end of the line before it swallows the "
        "next instruction.",
        example="RUN apt-get update && \\\n\n    apt-get install -y curl",
        instead="RUN apt-get update && \\\n    apt-get install -y curl",
        fix_safety="The fix deletes the blank lines; the builder already ignores them, so "
        "the build does not change.",
        references=(BUILD_CHECKS + "no-empty-continuation/", DOCKERFILE_REFERENCE + "#escape"),
    ),
    buildkit=("NoEmptyContinuation",),
)
def empty_continuation_line(ctx: RuleContext) -> Iterator[Hit]:
    lines = ctx.document.lines
    for ins in ctx.checked():
        end = _logical_last_line(ins)
        if end == len(lines) - 1 and end > ins.start_line and not lines[end]:
            end -= 1  # the empty "line" after the file's last line break
        line = ins.start_line + 1
        while line <= end:
            if lines[line].strip():
                line += 1
                continue
            first = line
            while line + 1 <= end and not lines[line + 1].strip():
                line += 1
            yield Hit(
                Span(Position(first, 0), Position(line, len(lines[line]))),
                f"Empty continuation line in {ins.name}: the builder skips it now, and it "
                "will become an error.",
                (Fix("Remove the empty line", (TextEdit(whole_lines(first, line), ""),)),),
            )
            line += 1
