"""A RuleContext for a Dockerfile text, for the tests of the family's helpers."""

from __future__ import annotations

from dockerls.context import BuildContext
from dockerls.graph import build_graph
from dockerls.rules.engine import RuleContext
from dockerls.syntax import parse


def rule_context(text: str, build: BuildContext | None = None) -> RuleContext:
    doc = parse(text)
    return RuleContext(doc, build_graph(doc), build or BuildContext(known=False))
