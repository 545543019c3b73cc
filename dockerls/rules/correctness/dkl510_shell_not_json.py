"""DKL510 shell-not-json: SHELL is not written as a JSON array, or the array is empty."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.correctness.shell_instruction import shell_problem
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity


@rule(
    "DKL510",
    "shell-not-json",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="SHELL is not written as a JSON array, or the array is empty.",
    docs=RuleDocs(
        what="`SHELL /bin/bash -c` (plain words) and `SHELL []`. A SHELL that starts with "
        "`[` but is not valid JSON is reported by DKL004.",
        why="SHELL only has an exec form: the builder stops with 'SHELL requires the "
        "arguments to be in JSON form' or 'SHELL requires at least one argument'.",
        example="SHELL /bin/bash -o pipefail -c",
        instead='SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
        fix_safety="Plain words without quotes or escapes are rewritten as a JSON array of "
        "the same words, which is what was meant.",
        references=(DOCKERFILE_REFERENCE + "#shell",),
    ),
)
def shell_not_json(ctx: RuleContext) -> Iterator[Hit]:
    for ins in ctx.checked():
        hit = shell_problem(ins)
        if hit is not None:
            yield hit
