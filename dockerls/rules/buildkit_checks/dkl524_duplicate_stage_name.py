"""DKL524 duplicate-stage-name: Two stages have the same name."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Related
from dockerls.rules.doc_links import BUILD_CHECKS
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.syntax import Severity, Token


@rule(
    "DKL524",
    "duplicate-stage-name",
    Category.CORRECTNESS,
    Severity.WARNING,
    summary="Two stages have the same name.",
    docs=RuleDocs(
        what="A stage name (compared case-insensitively) used by an earlier stage too.",
        why="References resolve to one of them only: `COPY --from` and `--target` pick "
        "the last definition, while a FROM sees the one above it, so the same name means "
        "different stages in different places. BuildKit warns; the Node language server "
        "calls it an error, but the build goes on.",
        example="FROM node:20 AS build\nRUN npm ci\nFROM golang:1.22 AS build\nRUN go build",
        instead="FROM node:20 AS web-build\nRUN npm ci\nFROM golang:1.22 AS api-build\n"
        "RUN go build",
        fix_safety="No automatic fix: which references mean which stage is not known.",
        references=(BUILD_CHECKS + "duplicate-stage-name/",),
    ),
    hadolint=("DL3024",),
    buildkit=("DuplicateStageName",),
)
def duplicate_stage_name(ctx: RuleContext) -> Iterator[Hit]:
    seen: dict[str, Token] = {}
    for stage in ctx.document.stages:
        name = stage.name
        if name is None:
            continue
        first = seen.get(name.text.lower())
        if first is None:
            seen[name.text.lower()] = name
            continue
        yield Hit(
            name.span,
            f"Stage name '{name.text}' is already used (line {first.span.start.line + 1}).",
            related=(Related(first.span, "first defined here"),),
        )
