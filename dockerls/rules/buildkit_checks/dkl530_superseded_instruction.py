"""DKL530 superseded-instruction: A CMD, ENTRYPOINT or HEALTHCHECK is overridden later in the same
stage."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix, Related, Tag, TextEdit
from dockerls.rules.correctness.spans import instruction_lines
from dockerls.rules.doc_links import BUILD_CHECKS, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Instruction, Severity

_ONCE = ("CMD", "ENTRYPOINT", "HEALTHCHECK")


@rule(
    "DKL530",
    "superseded-instruction",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="A CMD, ENTRYPOINT or HEALTHCHECK is overridden later in the same stage.",
    docs=RuleDocs(
        what="Every CMD, ENTRYPOINT or HEALTHCHECK of a stage except the last of its kind. "
        "ONBUILD triggers are not counted.",
        why="Only the last one takes effect; the earlier ones are dead code that misleads "
        "readers (often a leftover of debugging).",
        example='CMD ["npm", "run", "dev"]\nCMD ["node", "server.js"]',
        instead='CMD ["node", "server.js"]',
        fix_safety="The fix deletes the overridden instruction; the image does not change.",
        references=(
            BUILD_CHECKS + "multiple-instructions-disallowed/",
            DOCKERFILE_REFERENCE + "#cmd",
        ),
    ),
    hadolint=("DL4003", "DL4004", "DL3012"),
    buildkit=("MultipleInstructionsDisallowed",),
)
def superseded_instruction(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        last: dict[str, Instruction] = {}
        for ins in stage.instructions:
            if ins.name in _ONCE:
                last[ins.name] = ins
        for ins in stage.instructions:
            winner = last.get(ins.name)
            if winner is None or winner is ins:
                continue
            yield Hit(
                ins.span,
                f"This {ins.name} has no effect: the {ins.name} on line "
                f"{winner.start_line + 1} replaces it.",
                (
                    Fix(
                        f"Remove the overridden {ins.name}", (TextEdit(instruction_lines(ins), ""),)
                    ),
                ),
                (Related(winner.span, f"the {ins.name} that takes effect"),),
                frozenset({Tag.UNNECESSARY}),
            )
