"""COPY and ADD sources as paths of the build context, and the copies of the whole
context (``COPY . .``).

Used by DKL301 (``find_source_before_install``), DKL351, DKL352 and the .dockerignore
suggestions.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.dockerignore import go_clean
from dockerls.rules.cache.layer_sequences import regular
from dockerls.rules.engine import RuleContext
from dockerls.rules.instruction_parts import context_sources
from dockerls.syntax import Instruction, Token


def context_path(text: str) -> str:
    """A source as a context-relative path: ``./`` and ``/`` are ``.``."""
    return go_clean(text).lstrip("/") or "."


def is_whole_context(token: Token) -> bool:
    return "$" not in token.text and context_path(token.text) in (".", "*")


def whole_context_copies(ctx: RuleContext) -> Iterator[tuple[Instruction, Token]]:
    """``COPY .``/``ADD .`` sources of this build (ONBUILD triggers excluded), in order."""
    for stage in ctx.document.stages:
        for ins in regular(stage):
            for token in context_sources(ins):
                if is_whole_context(token):
                    yield ins, token


def context_hit_target(ctx: RuleContext) -> tuple[Instruction, Token] | None:
    """The first whole-context COPY/ADD of this build, when the context is known."""
    if not ctx.build_context.known:
        return None
    return next(whole_context_copies(ctx), None)
