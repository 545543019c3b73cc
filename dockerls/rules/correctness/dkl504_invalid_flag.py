"""DKL504 invalid-flag: An instruction flag is unknown, repeated, or lacks its value."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.correctness.instruction_flags import flag_problems, flags_checked
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity


@rule(
    "DKL504",
    "invalid-flag",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="An instruction flag is unknown, repeated, or lacks its value.",
    docs=RuleDocs(
        what="A flag the instruction does not have (the sets of current BuildKit: ADD "
        "--chown --chmod --link --keep-git-dir --checksum --exclude --unpack; COPY --from "
        "--chown --chmod --link --parents --exclude; FROM --platform; RUN --mount --network "
        "--security --device; HEALTHCHECK --interval --timeout --start-period "
        "--start-interval --retries; none elsewhere), a flag given twice (only --mount, "
        "--exclude and --device may repeat), a string flag without `=value`, or a boolean "
        "flag with a value other than true or false. Flag names are case-sensitive. ONBUILD "
        "triggers are checked too: they fail in every image built FROM this one.",
        why="The builder stops with 'Unknown flag', 'Duplicate flag specified', 'Missing a "
        "value on flag' or 'expecting boolean value'. The Node language server does not "
        "check RUN flags at all.",
        example="COPY --form=build /app /app\nRUN --mount=type=cache,target=/root/.npm --mount "
        "npm ci",
        instead="COPY --from=build /app /app",
        fix_safety="A flag written in the wrong case is lowercased. A misspelled flag gets "
        "the closest valid names as fixes that are offered but not preferred.",
        references=(
            DOCKERFILE_REFERENCE + "#copy",
            DOCKERFILE_REFERENCE + "#add",
            DOCKERFILE_REFERENCE + "#run",
            DOCKERFILE_REFERENCE + "#healthcheck",
        ),
    ),
)
def invalid_flag(ctx: RuleContext) -> Iterator[Hit]:
    for ins in ctx.checked():
        if ins.flags and flags_checked(ins):
            yield from flag_problems(ins)
