"""DKL533 invalid-default-arg-in-from: With the ARG defaults, a FROM image reference is empty or
invalid."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Related
from dockerls.rules.buildkit_checks.global_args import arg_defaults
from dockerls.rules.correctness.image_references import reference_problem
from dockerls.rules.correctness.word_processing import IDENTIFIER, process_word
from dockerls.rules.doc_links import BUILD_CHECKS, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity


@rule(
    "DKL533",
    "invalid-default-arg-in-from",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="With the ARG defaults, a FROM image reference is empty or invalid.",
    docs=RuleDocs(
        what="A FROM whose image uses global ARGs and, expanded with their defaults (an ARG "
        "without a default is empty), is not a valid image reference: `FROM $BASE` with a "
        "bare `ARG BASE`, `FROM node:${TAG}` with an empty TAG.",
        why="The Dockerfile only builds when every such ARG is passed with `--build-arg`; a "
        "plain `docker build` fails with 'invalid reference format' or 'base name should "
        "not be blank'.",
        example="ARG NODE_VERSION\nFROM node:${NODE_VERSION}-alpine",
        instead="ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine",
        fix_safety="No automatic fix: the right default is yours to choose.",
        references=(
            BUILD_CHECKS + "invalid-default-arg-in-from/",
            DOCKERFILE_REFERENCE + "#understand-how-arg-and-from-interact",
        ),
    ),
    buildkit=("InvalidDefaultArgInFrom",),
)
def invalid_default_arg_in_from(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    env = arg_defaults(doc)
    bare = {p.key.text: p for i in doc.global_args for p in i.pairs if p.raw_value is None}
    for stage in ctx.stages:
        ins = stage.from_
        if not ins.args or "$" not in ins.args[0].text:
            continue
        token = ins.args[0]
        processed = process_word(token.text, env, doc.escape)
        if processed.value is None or processed.error is not None:
            continue
        if any(u.name not in env for u in processed.uses if IDENTIFIER.fullmatch(u.name)):
            continue  # DKL527
        problem = reference_problem(processed.value)
        if problem is None:
            continue
        related = tuple(
            Related(bare[u.name].span, f"ARG {u.name} has no default")
            for u in processed.uses
            if u.name in bare
        )
        shown = f"'{processed.value}'" if processed.value else "empty"
        yield Hit(
            token.span,
            f"With the ARG defaults, '{token.text}' is {shown}: {problem.message}. Give the "
            "ARG a default, or the build fails unless --build-arg sets it.",
            related=related,
        )
