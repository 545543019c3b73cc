"""DKL511 invalid-onbuild-trigger: ONBUILD wraps ONBUILD, FROM or MAINTAINER."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity


@rule(
    "DKL511",
    "invalid-onbuild-trigger",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="ONBUILD wraps ONBUILD, FROM or MAINTAINER.",
    docs=RuleDocs(
        what="`ONBUILD ONBUILD …`, `ONBUILD FROM …` and `ONBUILD MAINTAINER …`.",
        why="The builder refuses them ('Chaining ONBUILD via `ONBUILD ONBUILD` isn't "
        "allowed', 'FROM isn't allowed as an ONBUILD trigger').",
        example="ONBUILD FROM node:20",
        instead="ONBUILD COPY package*.json ./\nONBUILD RUN npm ci",
        fix_safety="No automatic fix.",
        references=(DOCKERFILE_REFERENCE + "#onbuild",),
    ),
    hadolint=("DL3043",),
)
def invalid_onbuild_trigger(ctx: RuleContext) -> Iterator[Hit]:
    for ins in ctx.checked():
        trigger = ins.trigger
        if trigger is None:
            continue
        if trigger.name == "ONBUILD":
            yield Hit(
                trigger.keyword.span, "ONBUILD can not be chained: ONBUILD ONBUILD is not allowed."
            )
        elif trigger.name in ("FROM", "MAINTAINER"):
            yield Hit(trigger.keyword.span, f"{trigger.name} is not allowed as an ONBUILD trigger.")
