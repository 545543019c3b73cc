"""DKL515 fails-after-build: The build passes, but the image fails later: a broken ONBUILD trigger,
a USER that can not exist.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.correctness.argument_counts import arity_problem, run_follows
from dockerls.rules.correctness.flag_values import flag_value_problems
from dockerls.rules.correctness.instruction_flags import flag_problems, flags_checked
from dockerls.rules.correctness.shell_instruction import shell_problem
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Instruction, Severity


def _trigger_problems(trigger: Instruction) -> Iterator[Hit]:
    """What the builder rejects in an instruction, checked on an ONBUILD trigger."""
    for hit in (arity_problem(trigger), shell_problem(trigger)):
        if hit is not None:
            yield hit
    if trigger.flags and flags_checked(trigger):
        yield from flag_problems(trigger)
        yield from flag_value_problems(trigger)


@rule(
    "DKL515",
    "fails-after-build",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="The build passes, but the image fails later: a broken ONBUILD trigger, a USER "
    "that can not exist.",
    docs=RuleDocs(
        what="An ONBUILD trigger with a problem the builder rejects (the argument count, a "
        "flag or its value, a SHELL that is no JSON array), and a USER with spaces that no "
        "RUN follows in its stage.",
        why="This build does not look at them: BuildKit stores the trigger without checking "
        "it, and a USER is only looked up when something runs. Every build FROM the image "
        "then fails on the trigger, and `docker run` fails with 'unable to find user'. "
        "(Where a RUN follows the USER, the build itself fails: DKL502.)",
        example="ONBUILD COPY package.json\nUSER app user",
        instead="ONBUILD COPY package.json /app/\nUSER app",
        fix_safety="The fixes are those of the build error the instruction would be "
        "(DKL502, DKL504, DKL510), when it has one.",
        references=(DOCKERFILE_REFERENCE + "#onbuild", DOCKERFILE_REFERENCE + "#user"),
    ),
)
def fails_after_build(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        for k, ins in enumerate(stage.instructions):
            if ins.trigger is not None:
                for hit in _trigger_problems(ins.trigger):
                    message = f"Every build FROM this image fails on this trigger: {hit.message}"
                    yield Hit(hit.span, message, hit.fixes, hit.related, hit.tags)
            elif ins.name == "USER" and not run_follows(stage, k):
                user = arity_problem(ins)
                if user is not None:
                    yield Hit(user.span, f"The build passes, but: {user.message}")
