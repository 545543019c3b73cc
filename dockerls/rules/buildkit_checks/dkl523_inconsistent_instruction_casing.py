"""DKL523 inconsistent-instruction-casing: An instruction keyword is not in the case most of the
file uses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dockerls.findings import Fix, TextEdit
from dockerls.rules.doc_links import BUILD_CHECKS
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.syntax import Severity, Stage, Token


def _casing_counts(keywords: list[Token]) -> tuple[int, int]:
    lower = sum(1 for k in keywords if k.text == k.text.lower())
    upper = sum(1 for k in keywords if k.text == k.text.upper() and k.text != k.text.lower())
    return lower, upper


@dataclass(frozen=True, slots=True)
class _Casing:
    """The instruction keywords of a part of the file: how many are lowercase and
    uppercase, and those that are not (in order)."""

    lower: int
    upper: int
    count: int
    not_lower: tuple[Token, ...]
    not_upper: tuple[Token, ...]

    @staticmethod
    def of(keywords: list[Token]) -> _Casing:
        lower, upper = _casing_counts(keywords)
        return _Casing(
            lower,
            upper,
            len(keywords),
            tuple(k for k in keywords if k.text != k.text.lower()),
            tuple(k for k in keywords if k.text != k.text.upper()),
        )


def _stage_casing(ctx: RuleContext, stage: Stage) -> _Casing:
    return _Casing.of([stage.from_.keyword, *(ins.keyword for ins in stage.instructions)])


@rule(
    "DKL523",
    "inconsistent-instruction-casing",
    Category.STYLE,
    Severity.WARNING,
    summary="An instruction keyword is not in the case most of the file uses.",
    docs=RuleDocs(
        what="A keyword in mixed case (`Run`), or in the minority case of the file: "
        "lowercase in a file of mostly uppercase keywords, or the reverse. An all-lowercase "
        "file is fine. (BuildKit counts the stages only; dockerls also checks the ARGs "
        "before the first FROM.)",
        why="Keywords are case-insensitive, but a mix reads badly and BuildKit warns.",
        example="FROM alpine:3.20\nrun apk add --no-cache curl\nCopy app /app",
        instead="FROM alpine:3.20\nRUN apk add --no-cache curl\nCOPY app /app",
        fix_safety="The fix rewrites the keyword in the majority case; nothing else changes.",
        references=(BUILD_CHECKS + "consistent-instruction-casing/",),
    ),
    buildkit=("ConsistentInstructionCasing",),
)
def inconsistent_instruction_casing(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    before = doc.instructions[: doc.stages[0].from_.index] if doc.stages else doc.instructions
    parts = [_Casing.of([ins.keyword for ins in before])]
    parts += ctx.kept_each(_stage_casing)
    lower = sum(p.lower for p in parts)
    upper = sum(p.upper for p in parts)
    total = sum(p.count for p in parts)
    majority_lower = lower > upper
    for keyword in (k for p in parts for k in (p.not_lower if majority_lower else p.not_upper)):
        expected = keyword.text.lower() if majority_lower else keyword.text.upper()
        case = "lowercase" if majority_lower else "uppercase"
        yield Hit(
            keyword.span,
            f"'{keyword.text}' should be {case} like the other instructions "
            f"({max(lower, upper)} of {total} are {case}).",
            (Fix(f"Write {expected}", (TextEdit(keyword.span, expected),)),),
        )
