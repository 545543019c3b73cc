"""DKL502 wrong-argument-count: An instruction has too few or too many arguments for its form."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.correctness.argument_counts import arity_problem, run_follows
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity


@rule(
    "DKL502",
    "wrong-argument-count",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="An instruction has too few or too many arguments for its form.",
    docs=RuleDocs(
        what="COPY or ADD with a single argument, HEALTHCHECK NONE with arguments, "
        "HEALTHCHECK CMD without a command, HEALTHCHECK with a type other than CMD or NONE, "
        "USER with several words, and an empty `VOLUME []` or empty VOLUME path.",
        why="The builder rejects each of these ('COPY requires at least two arguments', "
        "'HEALTHCHECK NONE takes no arguments', 'Unknown type in HEALTHCHECK (try CMD)', "
        "'VOLUME specified can not be an empty string'). A USER with spaces parses, but no "
        "such account exists, so the next RUN and `docker run` fail.",
        example="COPY app.py\nHEALTHCHECK curl -f http://localhost/ || exit 1",
        instead="COPY app.py /app/\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1",
        fix_safety="HEALTHCHECK with a command but no type gets CMD inserted (the only "
        "reading that builds). Removing the arguments of HEALTHCHECK NONE is offered but not "
        "preferred. No fix for the others: the missing destination is not known.",
        references=(
            DOCKERFILE_REFERENCE + "#copy",
            DOCKERFILE_REFERENCE + "#healthcheck",
            DOCKERFILE_REFERENCE + "#user",
            DOCKERFILE_REFERENCE + "#volume",
        ),
    ),
)
def wrong_argument_count(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        for k, ins in enumerate(stage.instructions):
            hit = arity_problem(ins)
            if hit is not None and (ins.name != "USER" or run_follows(stage, k)):
                yield hit
