"""The parser's problems as rules: every syntax rule (DKL001 to DKL008) is made by
``problem_rule`` around one problem code of ``dockerls.syntax.parser``, and its docs link to
the Dockerfile reference."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.engine import Category, Hit, Rule, RuleContext, RuleDocs
from dockerls.syntax import Severity


def problem_rule(
    kind: tuple[str, str],
    severity: Severity,
    summary: str,
    docs: RuleDocs,
    hadolint: tuple[str, ...] = (),
) -> Rule:
    code, name = kind

    def check(ctx: RuleContext) -> Iterator[Hit]:
        for problem in ctx.document.problems:
            if problem.code == code:
                yield Hit(problem.span, problem.message)

    return Rule(code, name, Category.SYNTAX, severity, summary, docs, check, hadolint=hadolint)
