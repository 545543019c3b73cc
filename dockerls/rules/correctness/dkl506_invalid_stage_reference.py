"""DKL506 invalid-stage-reference: `--from` names a stage index that does not exist, or the stage
itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerls.findings import Related
from dockerls.rules.correctness.stage_references import all_stage_refs
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.syntax import Severity, Stage


@rule(
    "DKL506",
    "invalid-stage-reference",
    Category.CORRECTNESS,
    Severity.ERROR,
    summary="`--from` names a stage index that does not exist, or the stage itself.",
    docs=RuleDocs(
        what="`COPY --from=<n>` or `RUN --mount=from=<n>` with a stage index that is "
        "negative or beyond the last stage, and a `--from` that names the stage it is in "
        "(by name or index).",
        why="The builder stops with 'invalid stage index' or 'circular dependency detected "
        "on stage'.",
        example="FROM golang:1.22 AS build\nRUN go build -o /app\n"
        "COPY --from=build /app /usr/local/bin/",
        instead="FROM golang:1.22 AS build\nRUN go build -o /app\nFROM gcr.io/distroless/static\n"
        "COPY --from=build /app /usr/local/bin/",
        fix_safety="No automatic fix.",
        references=(DOCKERFILE_REFERENCE + "#copy---from", DOCKERFILE_REFERENCE + "#run---mount"),
    ),
    hadolint=("DL3023",),
)
def invalid_stage_reference(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    count = len(doc.stages)
    for ref in all_stage_refs(ctx):
        text = ref.text
        if re.fullmatch(r"-?\d+", text):
            index = int(text)
            if index < 0 or index >= count:
                yield Hit(
                    ref.span,
                    f"{ref.what}={text}: there is no stage {text} (stages are numbered 0 "
                    f"to {count - 1}).",
                )
                continue
            target: Stage | None = doc.stages[index]
        else:
            target = doc.stage_named(text)
        if target is ref.stage:
            yield Hit(
                ref.span,
                f"{ref.what}={text} refers to the stage it is in: a stage can not copy "
                "from itself.",
                related=(Related(ref.stage.from_.span, "the stage starts here"),),
            )
        elif target is not None and target.index > ref.stage.index:
            yield Hit(
                ref.span,
                f"{ref.what}={text} refers to a stage defined later: BuildKit only takes "
                "files from the stages above.",
                related=(Related(target.from_.span, "the stage starts here"),),
            )
