"""DKL525 reserved-stage-name: A stage is named scratch or context."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.doc_links import BUILD_CHECKS
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity

_RESERVED = ("scratch", "context")


@rule(
    "DKL525",
    "reserved-stage-name",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="A stage is named scratch or context.",
    docs=RuleDocs(
        what="`AS scratch` or `AS context` (any case).",
        why="`scratch` is the empty base image and `context` names the build context in "
        "`COPY --from=context` and named contexts; a stage with either name shadows or "
        "confuses them.",
        example="FROM alpine:3.20 AS context",
        instead="FROM alpine:3.20 AS app-context",
        fix_safety="No automatic fix: pick a new name and update its references.",
        references=(BUILD_CHECKS + "reserved-stage-name/",),
    ),
    hadolint=("DL3063",),
    buildkit=("ReservedStageName",),
)
def reserved_stage_name(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        if stage.name is not None and stage.name.text.lower() in _RESERVED:
            yield Hit(
                stage.name.span,
                f"'{stage.name.text}' is reserved and should not name a stage.",
            )
