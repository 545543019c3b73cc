"""DKL507 unresolved-stage-reference: A stage reference points at a later stage, or at no stage but
resembles one.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix, Related, TextEdit
from dockerls.rules.correctness.image_references import reference_problem
from dockerls.rules.correctness.spelling import did_you_mean, suggest
from dockerls.rules.correctness.stage_references import (
    all_stage_refs,
    earlier_stage,
    looks_like_stage_name,
)
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.syntax import Dockerfile, Severity, Span, Stage


@rule(
    "DKL507",
    "unresolved-stage-reference",
    Category.CORRECTNESS,
    Severity.WARNING,
    summary="A stage reference points at a later stage, or at no stage but resembles one.",
    docs=RuleDocs(
        what="A FROM that names a stage defined further down, or a FROM, `COPY --from` or "
        "`RUN --mount=from=` bare name (no registry, tag or path) that is no stage but is "
        "close to one. A tag- or registry-looking value is an image and is not flagged.",
        why="A name that is not an earlier stage is pulled from Docker Hub as an image: a "
        "typo of a stage name fails with 'pull access denied', or silently copies from an "
        "unrelated public image. FROM only sees earlier stages. (A `--from` naming a later "
        "stage is a build error: DKL506.)",
        example="FROM node:20 AS builder\nRUN npm ci && npm run build\n"
        "FROM nginx:1.27\nCOPY --from=buidler /app/dist /usr/share/nginx/html",
        instead="COPY --from=builder /app/dist /usr/share/nginx/html",
        fix_safety="A typo with a single closest stage name is replaced with it; with several "
        "candidates each is offered, none preferred.",
        references=(
            DOCKERFILE_REFERENCE + "#copy---from",
            "https://docs.docker.com/build/building/multi-stage/",
        ),
    ),
    hadolint=("DL3022",),
)
def unresolved_stage_reference(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    for stage in doc.stages:
        token = stage.from_.args[0] if stage.from_.args else None
        if token is not None and looks_like_stage_name(token.text):
            hit = _stage_typo(doc, token.text, token.span, stage, what="FROM", forward_ok=False)
            if hit is not None:
                yield hit
    for ref in all_stage_refs(ctx):
        if looks_like_stage_name(ref.text):
            hit = _stage_typo(doc, ref.text, ref.span, ref.stage, what=ref.what, forward_ok=True)
            if hit is not None:
                yield hit


def _stage_typo(
    doc: Dockerfile, text: str, span: Span, stage: Stage, *, what: str, forward_ok: bool
) -> Hit | None:
    lowered = text.lower()
    if earlier_stage(doc, text, stage.index) is not None or reference_problem(text) is not None:
        return None  # a stage, or an invalid reference (DKL503)
    later = next((s for s in doc.stages[stage.index :] if s.name_lower == lowered), None)
    if later is not None and later.name is not None:
        if forward_ok:
            return None  # a --from a later stage (or its own): DKL506
        return Hit(
            span,
            f"{what} '{text}' refers to stage '{later.name.text}', defined later: FROM only "
            f"sees earlier stages, so '{text}' is pulled as an image instead.",
            related=(Related(later.name.span, "the stage is defined here"),),
        )
    names = {s.name.text for s in doc.stages[: stage.index] if s.name is not None}
    options = suggest(text, names)
    if not options:
        return None
    fixes = tuple(
        Fix(f"Use stage '{o}'", (TextEdit(span, o),), safe=len(options) == 1) for o in options
    )
    return Hit(
        span,
        f"{what} '{text}' is not a stage{did_you_mean(options)}; as written it is pulled as the "
        f"image docker.io/library/{text}.",
        fixes,
    )
