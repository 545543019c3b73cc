"""Variable references (``$VAR``, ``${VAR:-word}``) and their expansion."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from dockerls.syntax.model import Instruction, Span, VariableModifier, VariableRef

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MODIFIERS = sorted(
    (m for m in VariableModifier if m.value not in ("", "other")), key=lambda m: -len(m.value)
)


@dataclass(frozen=True, slots=True)
class RawRef:
    """A reference found in a string, by offsets."""

    name: str
    start: int
    end: int
    name_start: int
    name_end: int
    modifier: VariableModifier
    word: str | None
    braced: bool


def scan(text: str, escape: str = "\\") -> Iterator[RawRef]:
    """Find the variable references in ``text``; an escaped ``$`` is not one."""
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == escape and i + 1 < n:
            i += 2
            continue
        if ch != "$" or i + 1 >= n:
            i += 1
            continue
        if text[i + 1] == "{":
            close = _closing_brace(text, i + 2)
            match = _NAME.match(text, i + 2)
            if match is None or close < 0:
                i += 2
                continue
            inner_end = match.end()
            modifier = VariableModifier.NONE
            word: str | None = None
            if inner_end < close:
                tail = text[inner_end:close]
                modifier = VariableModifier.OTHER
                for m in _MODIFIERS:
                    if tail.startswith(m.value):
                        modifier = m
                        break
                word = (
                    tail[len(modifier.value) :] if modifier is not VariableModifier.OTHER else tail
                )
            yield RawRef(match.group(), i, close + 1, i + 2, inner_end, modifier, word, True)
            i = close + 1
            continue
        match = _NAME.match(text, i + 1)
        if match is None:
            i += 1
            continue
        yield RawRef(
            match.group(), i, match.end(), i + 1, match.end(), VariableModifier.NONE, None, False
        )
        i = match.end()


def _closing_brace(text: str, start: int) -> int:
    depth = 1
    for j in range(start, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return -1


def expand(text: str, values: Mapping[str, str], escape: str = "\\") -> str | None:
    """Expand references with ``values``; None when a value is unknown.

    A name missing from ``values`` is unknown (an ARG without a default, or a
    build-time platform variable) unless a ``:-``/``-`` default supplies it.
    """
    out: list[str] = []
    last = 0
    for ref in scan(text, escape):
        out.append(text[last : ref.start])
        last = ref.end
        value = values.get(ref.name)
        mod = ref.modifier
        if mod in (VariableModifier.DEFAULT, VariableModifier.DEFAULT_UNSET):
            if value is None or (mod is VariableModifier.DEFAULT and value == ""):
                value = expand(ref.word or "", values, escape)
        elif mod in (VariableModifier.ALTERNATE, VariableModifier.ALTERNATE_SET):
            is_set = value is not None and (mod is VariableModifier.ALTERNATE_SET or value != "")
            value = expand(ref.word or "", values, escape) if is_set else ""
        if value is None:
            return None
        out.append(value)
    out.append(text[last:])
    return "".join(out)


def references(instruction: Instruction, escape: str = "\\") -> tuple[VariableRef, ...]:
    """Every reference in an instruction's flag values and arguments, with source spans."""
    refs: list[VariableRef] = []
    for flag in instruction.flags:
        if flag.value is not None:
            base = flag.value.span
            for r in scan(flag.value.text, escape):
                if base.start.line == base.end.line:
                    line, col = base.start.line, base.start.column
                    span = Span.of(line, col + r.start, None, col + r.end)
                    name_span = Span.of(line, col + r.name_start, None, col + r.name_end)
                else:
                    span = name_span = base
                refs.append(_ref(r, span, name_span))
    if instruction.rest is not None:
        for r in scan(instruction.rest.text, escape):
            refs.append(
                _ref(
                    r,
                    instruction.locate_span(r.start, r.end),
                    instruction.locate_span(r.name_start, r.name_end),
                )
            )
    return tuple(refs)


def _ref(r: RawRef, span: Span, name_span: Span) -> VariableRef:
    return VariableRef(r.name, span, name_span, r.modifier, r.word, r.braced)
