"""DKL514 unterminated-quote: A quote in an expanded instruction is never closed."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.correctness.expanded_words import word_errors
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity


@rule(
    "DKL514",
    "unterminated-quote",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="A quote in an expanded instruction is never closed.",
    docs=RuleDocs(
        what="A single or double quote that is not closed within the value or argument the "
        "builder processes (ENV and LABEL values, ARG defaults, COPY/ADD paths, WORKDIR, "
        "USER, EXPOSE, VOLUME, STOPSIGNAL). The legacy `ENV KEY value` form counts the rest "
        "of the line as one value, so `ENV MSG don't panic` has an open quote.",
        why="The build stops with 'unexpected end of statement while looking for matching "
        "double-quote' (or single-quote).",
        example="LABEL description=\"The API server\nENV MSG don't panic",
        instead='LABEL description="The API server"\nENV MSG="don\'t panic"',
        fix_safety="No automatic fix: where the quote should end is not known.",
        references=(DOCKERFILE_REFERENCE + "#env", DOCKERFILE_REFERENCE + "#label"),
    ),
)
def unterminated_quote(ctx: RuleContext) -> Iterator[Hit]:
    return word_errors(ctx, "quote")
