"""DKL505 invalid-flag-value: A flag has a value the builder rejects."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.correctness.flag_values import flag_value_problems
from dockerls.rules.correctness.instruction_flags import flags_checked
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity


@rule(
    "DKL505",
    "invalid-flag-value",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="A flag has a value the builder rejects.",
    docs=RuleDocs(
        what="HEALTHCHECK durations that are not Go durations (`30s`, `1m30s`, `0`) or are "
        "below 1ms, `--retries` that is not a non-negative whole number, a `--chmod` that is "
        "neither octal nor symbolic (`u+x`), an ADD `--checksum` that is not a supported "
        "digest, `--network` other than default/none/host, `--security` other than "
        "sandbox/insecure, a `FROM --platform` that is not os[/arch[/variant]], and `RUN "
        "--mount` specs with an unknown type or option, options the mount type does not "
        "take (size only for tmpfs, sharing only for cache, mode/uid/gid not for bind and "
        "tmpfs), a secret mount without an id, or a variable in `from=`. Values holding "
        "variables are left alone (they are expanded at build time).",
        why="The build stops on each of them ('time: missing unit in duration', 'unsupported "
        "mount type', 'unexpected key', 'invalid value for mode'…). `--retries=0` is valid: "
        "it means the default. RUN flags are not checked by the Node language server.",
        example="HEALTHCHECK --interval=30 CMD curl -f http://localhost/\n"
        "RUN --mount=type=cache,target=/root/.cache,size=1g pip install -r requirements.txt",
        instead="HEALTHCHECK --interval=30s CMD curl -f http://localhost/\n"
        "RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt",
        fix_safety="No automatic fix: the intended value is not known.",
        references=(
            DOCKERFILE_REFERENCE + "#healthcheck",
            DOCKERFILE_REFERENCE + "#run---mount",
            DOCKERFILE_REFERENCE + "#run---network",
            DOCKERFILE_REFERENCE + "#copy---chmod",
            DOCKERFILE_REFERENCE + "#add---checksum",
            "https://pkg.go.dev/time#ParseDuration",
        ),
    ),
)
def invalid_flag_value(ctx: RuleContext) -> Iterator[Hit]:
    for ins in ctx.checked():
        if ins.flags and flags_checked(ins):
            yield from flag_value_problems(ins)
