"""The words and heredoc bodies BuildKit runs through its word processing, and the quote
and substitution errors in them.

Used by DKL512, DKL514 and buildkit_checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from dockerls.rules.correctness.spans import piece
from dockerls.rules.correctness.word_processing import process_word
from dockerls.rules.engine import Hit, RuleContext
from dockerls.syntax import Heredoc, Instruction, Token

_EXPANDED = frozenset(
    {"ADD", "COPY", "ENV", "LABEL", "ARG", "EXPOSE", "USER", "VOLUME", "WORKDIR", "STOPSIGNAL"}
)
_EXPANDED_FLAGS = {
    "ADD": ("chown", "chmod"),
    "COPY": ("chown", "chmod", "from"),
    "RUN": ("mount",),
    "FROM": ("platform",),
}


@dataclass(frozen=True, slots=True)
class Word:
    """A piece of an instruction that BuildKit runs through its word processing."""

    instruction: Instruction
    token: Token
    where: str  # what it is, for messages ("the value of ENV PATH")


def processed_words(ctx: RuleContext) -> Iterator[Word]:
    """The words BuildKit expands (ONBUILD triggers are expanded in the child build), of
    the stages checked; the global ARGs go with the first stage."""
    if ctx.only is None or any(stage.index == 0 for stage in ctx.only):
        for ins in ctx.document.global_args:
            yield from instruction_words(ins)
    for stage in ctx.stages:
        yield from instruction_words(stage.from_)
        for ins in stage.instructions:
            yield from instruction_words(ins)


def instruction_words(ins: Instruction) -> Iterator[Word]:
    for name in _EXPANDED_FLAGS.get(ins.name, ()):
        for flag in ins.flags_named(name):
            if flag.value is not None:
                yield Word(ins, flag.value, f"{ins.name} --{name}")
    if ins.name == "FROM" and ins.args:
        yield Word(ins, ins.args[0], "FROM")
    if ins.name not in _EXPANDED or ins.rest is None:
        return
    if ins.pairs:
        for pair in ins.pairs:
            yield Word(ins, pair.key, f"{ins.name} {pair.key.text}")
            if pair.raw_value is not None:
                yield Word(ins, pair.raw_value, f"the value of {ins.name} {pair.key.text}")
    elif ins.name in ("USER", "WORKDIR", "STOPSIGNAL"):
        yield Word(ins, ins.rest, ins.name)
    elif ins.exec_form is not None:
        for element in ins.exec_form.elements:
            yield Word(ins, element, ins.name)
    else:
        heredocs = {h.marker.span for h in ins.heredocs}
        for token in ins.args:
            if token.span not in heredocs:
                yield Word(ins, token, ins.name)


def word_errors(ctx: RuleContext, kind: str) -> Iterator[Hit]:
    escape = ctx.document.escape
    for word in processed_words(ctx):
        error = process_word(word.token.text, {}, escape).error
        if error is None or error.kind != kind:
            continue
        span = piece(word.instruction, word.token, error.start, error.end)
        yield Hit(span, f"In {word.where}: {error.message}.")


def expanded_heredocs(ins: Instruction) -> Iterator[Heredoc]:
    """The heredocs of a COPY/ADD whose body BuildKit expands (the delimiter unquoted)."""
    if ins.name in ("COPY", "ADD"):
        yield from (h for h in ins.heredocs if not h.quoted)


_BODY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def heredoc_references(heredoc: Heredoc, escape: str) -> Iterator[tuple[int, str]]:
    """Each ``$NAME`` and ``${…}`` of an expanded heredoc body, with its offset. Quotes
    stay as they are in a body, so each reference is read on its own."""
    text = heredoc.body.text
    start = text.find("$")
    while start >= 0:
        end = start + 1
        escaped = start > 0 and text[start - 1] == escape
        if not escaped and text.startswith("{", end):
            depth, end = 0, len(text)
            for i in range(start + 1, len(text)):
                if text[i] == "{":
                    depth += 1
                elif text[i] == "}":
                    depth -= 1
                    if depth == 0:
                        end = i + 1
                        break
            yield start, text[start:end]
        elif not escaped and (m := _BODY_NAME.match(text, end)) is not None:
            end = m.end()
            yield start, text[start:end]
        start = text.find("$", end)
