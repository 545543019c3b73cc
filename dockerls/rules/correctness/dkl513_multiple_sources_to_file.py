"""DKL513 multiple-sources-to-file: COPY or ADD has several sources but a destination that is not a
directory.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix, TextEdit
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Instruction, Severity, Span


def all_instructions(ctx: RuleContext) -> Iterator[Instruction]:
    """Every instruction (of the stages checked), each ONBUILD trigger right after its
    ONBUILD."""
    for ins in ctx.checked():
        yield ins
        if ins.trigger is not None:
            yield ins.trigger


@rule(
    "DKL513",
    "multiple-sources-to-file",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="COPY or ADD has several sources but a destination that is not a directory.",
    docs=RuleDocs(
        what="COPY or ADD with two or more sources (heredocs included) whose destination "
        "does not end with `/` (and is not `.` or `..`). A heredoc in the destination's "
        "place is left alone: it is no path that `/` could make a directory.",
        why="The classic builder rejects it ('When using COPY with more than one source "
        "file, the destination must be a directory and end with a /'); BuildKit copies, "
        "but whether the destination is a file or a directory then depends on what already "
        "exists in the image. Ending it with `/` says what is meant.",
        example="COPY package.json package-lock.json /app",
        instead="COPY package.json package-lock.json /app/",
        fix_safety="The fix appends `/`: the sources are copied into that directory, which "
        "is what several sources imply.",
        references=(DOCKERFILE_REFERENCE + "#destination",),
    ),
    hadolint=("DL3021",),
)
def multiple_sources_to_file(ctx: RuleContext) -> Iterator[Hit]:
    for ins in all_instructions(ctx):
        if ins.name not in ("COPY", "ADD") or ins.exec_form is not None or len(ins.args) < 3:
            continue
        dest = ins.args[-1]
        text = dest.text
        if "$" in text or text.rstrip(".") == "" or text.endswith(("/", "\\")):
            continue
        if ctx.document.escape == "`" and text.endswith("\\"):
            continue
        if any(h.marker.span == dest.span for h in ins.heredocs):
            continue  # a heredoc is no destination at all (the build rejects it)
        end = dest.span.end
        yield Hit(
            dest.span,
            f"{ins.name} has {len(ins.args) - 1} sources, so '{text}' should be a directory: "
            "end it with /.",
            (Fix("Append /", (TextEdit(Span(end, end), "/"),)),),
        )
