"""The parts of an instruction the rules read, and adding an argument to one.

``mounts(ins)`` and ``cache_targets(ins)``: a RUN's ``--mount`` options; ``operands`` and
``context_sources``: what a COPY/ADD copies; ``insert_after``: a new argument after a word,
in the exec form or the shell form as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dockerls.findings import TextEdit
from dockerls.shell import Word
from dockerls.syntax import Instruction, Span, Stage, Token


@dataclass(frozen=True, slots=True)
class Mount:
    """One ``RUN --mount=…``."""

    type: str  # "bind" unless it says otherwise, as in BuildKit
    target: str | None  # as written
    source: str | None


def mounts(ins: Instruction) -> tuple[Mount, ...]:
    found = []
    for flag in ins.flags_named("mount"):
        opts = flag.options()
        target = opts.get("target") or opts.get("dst") or opts.get("destination")
        found.append(Mount(opts.get("type", "bind"), target, opts.get("source") or opts.get("src")))
    return tuple(found)


def cache_targets(ins: Instruction) -> tuple[str, ...]:
    """Where a RUN's cache and tmpfs mounts go (what they keep out of the layer)."""
    return tuple(m.target for m in mounts(ins) if m.type in ("cache", "tmpfs") and m.target)


# The local archives ADD unpacks (tar, possibly compressed); it copies anything else as is.
ADD_EXTRACTS = re.compile(
    r"\.(?:tar|tar\.gz|tgz|taz|tar\.bz2|tbz2|tbz|tb2|tar\.xz|txz|tar\.zst|tzst|tar\.lz|tar\.lzma|tlz)$",
    re.IGNORECASE,
)


def operands(ins: Instruction) -> tuple[Token, ...]:
    """The arguments of an instruction, taken from the JSON array when it is one."""
    return ins.exec_form.elements if ins.exec_form is not None else ins.args


def context_sources(ins: Instruction) -> tuple[Token, ...]:
    """The sources a COPY/ADD takes from the build context (not another stage or a URL)."""
    if ins.name not in ("COPY", "ADD") or ins.flag("from") is not None:
        return ()
    return tuple(
        w
        for w in operands(ins)[:-1]
        if not w.text.startswith("<<") and "://" not in w.text and not w.text.startswith("git@")
    )


def in_exec_form(ins: Instruction, word: Word) -> bool:
    """Whether ``word`` is a whole element of the instruction's JSON array."""
    if ins.exec_form is None:
        return False
    return any(e.span == word.span for e in ins.exec_form.elements)


def insert_after(ins: Instruction, word: Word, text: str) -> TextEdit:
    """Add ``text`` as the next argument after ``word`` (a new element in the exec form)."""
    end = word.span.end
    return TextEdit(Span(end, end), f', "{text}"' if in_exec_form(ins, word) else f" {text}")


def from_span(stage: Stage) -> Span:
    """The image reference of a FROM line, or its keyword when there is none."""
    return stage.image.span if stage.image is not None else stage.from_.keyword.span
