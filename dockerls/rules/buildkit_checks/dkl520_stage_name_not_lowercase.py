"""DKL520 stage-name-not-lowercase: A stage name has uppercase letters."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix, TextEdit
from dockerls.rules.buildkit_checks.reference_edits import verbatim_at
from dockerls.rules.correctness.stage_references import all_stage_refs
from dockerls.rules.doc_links import BUILD_CHECKS, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.syntax import Severity


@rule(
    "DKL520",
    "stage-name-not-lowercase",
    Category.STYLE,
    Severity.WARNING,
    summary="A stage name has uppercase letters.",
    docs=RuleDocs(
        what="`FROM … AS Builder`: a stage name with uppercase letters.",
        why="BuildKit lowercases stage names. `COPY --from` finds the stage in any case, "
        "but FROM compares the name as written: `FROM Builder` does not find the stage and "
        "fails as an invalid image name. Lowercase names avoid the trap.",
        example="FROM golang:1.22 AS Builder\nFROM alpine:3.20\nCOPY --from=Builder /app /app",
        instead="FROM golang:1.22 AS builder\nFROM alpine:3.20\nCOPY --from=builder /app /app",
        fix_safety="The fix renames the stage and every reference to it (FROM, COPY --from, "
        "RUN --mount from=) to lowercase; stage lookups ignore case, so the build does not "
        "change. It is not offered when a reference can not be edited exactly.",
        references=(BUILD_CHECKS + "stage-name-casing/", DOCKERFILE_REFERENCE + "#from"),
    ),
    buildkit=("StageNameCasing",),
)
def stage_name_not_lowercase(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    for stage in doc.stages:
        name = stage.name
        if name is None or name.text == name.text.lower():
            continue
        lower = name.text.lower()
        edits = [TextEdit(name.span, lower)]
        exact = True
        for other in doc.stages[stage.index + 1 :]:
            image = other.image
            if image is not None and image.text.lower() == lower and image.text != lower:
                edits.append(TextEdit(image.span, lower))
        for ref in all_stage_refs(ctx):
            if ref.text.lower() == lower and ref.text != lower:
                exact = exact and verbatim_at(ref.span, ref.text)
                edits.append(TextEdit(ref.span, lower))
        fixes = (Fix(f"Rename the stage to '{lower}'", tuple(edits)),) if exact else ()
        yield Hit(
            name.span,
            f"Stage name '{name.text}' should be lowercase ('{lower}'): FROM does not find "
            "a stage written in another case.",
            fixes,
        )
