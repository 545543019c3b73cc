"""Rule contexts and RUN commands built from Dockerfile text, for the tests of the
plumbing the rule families share."""

from __future__ import annotations

from dockerls.context import CONTEXT_EMPTY
from dockerls.graph import build_graph
from dockerls.rules.engine import RuleContext
from dockerls.shell import Command
from dockerls.syntax import parse


def rule_context(text: str) -> RuleContext:
    doc = parse(text)
    return RuleContext(doc, build_graph(doc), CONTEXT_EMPTY)


def commands(run: str) -> tuple[Command, ...]:
    ctx = rule_context(f"FROM debian\nRUN {run}\n")
    (_, ins) = next(ctx.instructions("RUN"))
    return ctx.script(ins).commands
