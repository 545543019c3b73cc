"""DKL521 from-as-casing-mismatch: The AS keyword is not in the same case as FROM."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix, TextEdit
from dockerls.rules.correctness.spelling import same_case
from dockerls.rules.doc_links import BUILD_CHECKS
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity


@rule(
    "DKL521",
    "from-as-casing-mismatch",
    Category.STYLE,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="The AS keyword is not in the same case as FROM.",
    docs=RuleDocs(
        what="`FROM image as name` (uppercase FROM, lowercase as) and the reverse.",
        why="Both work; mixing them reads as a mistake and BuildKit warns about it.",
        example="FROM node:20 as build",
        instead="FROM node:20 AS build",
        fix_safety="The fix rewrites AS in the case of FROM; nothing else changes.",
        references=(BUILD_CHECKS + "from-as-casing/",),
    ),
    buildkit=("FromAsCasing",),
)
def from_as_casing_mismatch(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        ins = stage.from_
        keyword = ins.keyword.text
        if len(ins.args) < 3 or ins.args[1].text.upper() != "AS":
            continue
        if keyword not in (keyword.upper(), keyword.lower()):
            continue  # mixed-case FROM: DKL523
        as_token = ins.args[1]
        expected = same_case("AS", keyword)
        if as_token.text != expected:
            yield Hit(
                as_token.span,
                f"'{as_token.text}' and '{keyword}' are not in the same case.",
                (Fix(f"Write {expected}", (TextEdit(as_token.span, expected),)),),
            )
