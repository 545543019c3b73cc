"""BuildKit's word processing: quotes, escapes and ``$VAR`` substitutions, done the way
its Dockerfile frontend does them before it uses a word.

Used by DKL503, DKL508, DKL509, DKL512 and DKL514, by the variable scopes, and by
buildkit_checks (DKL520-DKL537).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, NoReturn

Env = Mapping[str, str | None]  # name -> value; None: declared, value unknown; absent: undefined

_GUARDS = frozenset({"-", ":-", "+", ":+", "?", ":?"})
_SPECIAL_PARAMS = frozenset("@*#?-$!0")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class VarUse:
    """One ``$NAME`` or ``${NAME…}`` in a word, by offsets into the word."""

    name: str
    start: int  # the '$'
    end: int  # just past the reference
    name_start: int
    name_end: int
    guarded: bool  # a modifier supplies a value when the variable is unset


@dataclass(frozen=True, slots=True)
class WordError:
    """What BuildKit's word processing stops on, by offsets into the word."""

    start: int
    end: int
    message: str
    kind: Literal["quote", "substitution"]


@dataclass(frozen=True, slots=True)
class Processed:
    value: str | None  # the word after quotes and substitutions; None: depends on the unknown
    uses: tuple[VarUse, ...]
    error: WordError | None


class _Stop(Exception):
    def __init__(self, error: WordError) -> None:
        super().__init__(error.message)
        self.error = error


class _Lexer:
    """BuildKit's shell-word processing: quotes, escapes and ``$`` substitutions."""

    def __init__(self, text: str, env: Env, escape: str, unset_unknown: bool) -> None:
        self.text = text
        self.i = 0
        self.env = env
        self.escape = escape
        self.unset_unknown = unset_unknown
        self.uses: list[VarUse] = []
        self.unknown = False

    def fail(
        self, start: int, end: int, message: str, kind: Literal["quote", "substitution"]
    ) -> NoReturn:
        raise _Stop(WordError(start, max(end, start), message, kind))

    def until(self, stop: str, opener: int = 0) -> str:
        """Read up to ``stop`` (the end of the text when empty); ``opener`` is its '${'."""
        text = self.text
        out: list[str] = []
        while self.i < len(text):
            ch = text[self.i]
            if stop and ch == stop:
                self.i += 1
                return "".join(out)
            if ch == "$":
                out.append(self.dollar())
            elif ch == "'":
                out.append(self.single())
            elif ch == '"':
                out.append(self.double())
            else:
                self.i += 1
                if ch == self.escape:
                    if self.i >= len(text):
                        break
                    ch = text[self.i]
                    self.i += 1
                out.append(ch)
        if stop:
            self.fail(opener, len(text), f"'${{' has no closing '{stop}'", "substitution")
        return "".join(out)

    def single(self) -> str:
        start = self.i
        close = self.text.find("'", start + 1)
        if close < 0:
            self.fail(start, len(self.text), "a single quote is never closed", "quote")
        self.i = close + 1
        return self.text[start + 1 : close]

    def double(self) -> str:
        text, start = self.text, self.i
        out: list[str] = []
        self.i += 1
        while True:
            if self.i >= len(text):
                self.fail(start, len(text), "a double quote is never closed", "quote")
            ch = text[self.i]
            if ch == '"':
                self.i += 1
                return "".join(out)
            if ch == "$":
                out.append(self.dollar())
                continue
            self.i += 1
            if ch == self.escape and self.i < len(text) and text[self.i] in f'"${self.escape}':
                ch = text[self.i]
                self.i += 1
            out.append(ch)

    def name(self) -> str:
        text, start = self.text, self.i
        if start >= len(text):
            return ""
        if text[start].isdigit():
            while self.i < len(text) and text[self.i].isdigit():
                self.i += 1
            return text[start : self.i]
        if text[start] in _SPECIAL_PARAMS:
            self.i += 1
            return text[start]
        while self.i < len(text) and (text[self.i].isalnum() or text[self.i] == "_"):
            self.i += 1
        return text[start : self.i]

    def dollar(self) -> str:
        text, start = self.text, self.i
        self.i += 1
        if self.i >= len(text) or text[self.i] != "{":
            name_start = self.i
            name = self.name()
            if not name:
                return "$"
            self.uses.append(VarUse(name, start, self.i, name_start, self.i, False))
            return self.lookup(name)
        self.i += 1
        if self.i >= len(text):
            self.fail(start, len(text), "'${' has no closing '}'", "substitution")
        if text[self.i] in "{}:":
            self.fail(
                start,
                self._close(start),
                "bad substitution: '${' must start with a name",
                "substitution",
            )
        name_start = self.i
        name = self.name()
        name_end = self.i
        if self.i >= len(text):
            self.fail(start, len(text), "'${' has no closing '}'", "substitution")
        ch = text[self.i]
        self.i += 1
        if ch == "}":
            self.uses.append(VarUse(name, start, self.i, name_start, name_end, False))
            return self.lookup(name)
        if ch == "/":
            if self.i < len(text) and text[self.i] == "/":
                self.i += 1
            self.until("/", start)
            self.until("}", start)
            self.uses.append(VarUse(name, start, self.i, name_start, name_end, False))
            return self.pattern(name)
        modifier = ch
        if ch == ":":
            if self.i >= len(text):
                self.fail(start, len(text), "'${' has no closing '}'", "substitution")
            modifier += text[self.i]
            self.i += 1
        if modifier.lstrip(":") not in ("-", "+", "?", "#", "%"):
            self.fail(
                start, self._close(start), _unsupported(text, start, name, modifier), "substitution"
            )
        word = self.until("}", start)
        self.uses.append(VarUse(name, start, self.i, name_start, name_end, modifier in _GUARDS))
        if modifier.lstrip(":") in ("#", "%"):
            return self.pattern(name)
        return self.modified(name, modifier, word)

    def _close(self, start: int) -> int:
        close = self.text.find("}", start)
        return close + 1 if close >= 0 else len(self.text)

    def lookup(self, name: str) -> str:
        value = self.env.get(name, None if self.unset_unknown else "")
        if value is None:
            self.unknown = True
            return ""
        return value

    def pattern(self, name: str) -> str:
        if name in self.env:  # a pattern edit of a set variable: not worked out here
            self.unknown = True
        return ""

    def modified(self, name: str, modifier: str, word: str) -> str:
        declared = name in self.env
        value = self.env.get(name)
        if (declared and value is None) or (not declared and self.unset_unknown):
            self.unknown = True  # whether it is set, or empty, is not known
            return ""
        empty = not declared or (modifier.startswith(":") and value == "")
        kind = modifier[-1]
        if kind == "-":
            return word if empty else value or ""
        if kind == "+":
            return "" if empty else word
        return value or ""


def _unsupported(text: str, start: int, name: str, modifier: str) -> str:
    shown = text[start : text.find("}", start) + 1] if "}" in text[start:] else text[start:]
    if name == "#":
        what = "string length"
    elif name == "!":
        what = "indirect expansion"
    elif modifier.startswith(":") and modifier[1:2].isdigit():
        what = "substring"
    elif modifier in ("^", "^^", ",", ",,") or modifier[:1] in "^,":
        what = "case conversion"
    else:
        what = f"the modifier '{modifier}'"
    return (
        f"'{shown}' uses {what}, which the Dockerfile does not support (it knows ${{VAR:-word}}, "
        "${VAR:+word}, ${VAR:?word}, ${VAR#pattern}, ${VAR%pattern} and "
        "${VAR/pattern/replacement}); do it in a RUN instead"
    )


def process_word(
    text: str, env: Env, escape: str = "\\", *, unset_unknown: bool = False
) -> Processed:
    """Process a word the way BuildKit does before it uses it (never raises).

    A name missing from ``env`` is empty, as in BuildKit; with ``unset_unknown`` it is
    unknown instead (the base image, which is not known here, may set it).
    """
    if not any(c in text for c in ("$", "'", '"', escape)):
        return Processed(text, (), None)  # nothing to process: most words, on every keystroke
    lexer = _Lexer(text, env, escape, unset_unknown)
    try:
        value: str | None = lexer.until("")
    except _Stop as stop:
        return Processed(None, tuple(lexer.uses), stop.error)
    return Processed(None if lexer.unknown else value, tuple(lexer.uses), None)
