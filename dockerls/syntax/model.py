"""The position-accurate model of a Dockerfile.

Every position is a 0-based line and a 0-based column counted in Unicode code
points (not UTF-16 units, not bytes). Conversion to what a client negotiated
happens only at the protocol edge (``dockerls.convert``).

The model is immutable once built. ``parse()`` in ``dockerls.syntax.parser``
is the only producer; it never raises, and turns whatever it cannot make sense
of into ``Problem`` values attached to the document.
"""

from __future__ import annotations

import bisect
import enum
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple


class Position(NamedTuple):
    """0-based line and code-point column. A tuple: immutable, ordered, cheap to make."""

    line: int
    column: int


_tuple_new = tuple.__new__
_intern = sys.intern


class Span(tuple[int, int, int, int]):
    """A half-open range ``[start, end)`` in the source text.

    Held as its four ints ``(start line, start column, end line, end column)``, not as
    two ``Position`` tuples: a third of the memory, and it orders, compares and hashes
    as ``(start, end)`` would. ``start`` and ``end`` make their ``Position`` on access.
    """

    __slots__ = ()

    def __new__(cls, start: Position, end: Position) -> Span:
        return _tuple_new(cls, (start[0], start[1], end[0], end[1]))

    @staticmethod
    def of(line: int, start: int, end_line: int | None = None, end: int | None = None) -> Span:
        """The span from ``line:start`` to ``end_line:end`` (defaults: the same line, empty)."""
        return _tuple_new(
            Span,
            (line, start, line if end_line is None else end_line, start if end is None else end),
        )

    @property
    def start(self) -> Position:
        return _tuple_new(Position, self[:2])

    @property
    def end(self) -> Position:
        return _tuple_new(Position, self[2:])

    def __repr__(self) -> str:
        return f"Span(start={self.start!r}, end={self.end!r})"

    def __getnewargs__(self) -> tuple[Position, Position]:
        return self.start, self.end  # copy and pickle call ``Span(start, end)``

    def contains(self, pos: Position) -> bool:
        return self[:2] <= pos <= self[2:]

    def cover(self, other: Span) -> Span:
        return _tuple_new(Span, min(self[:2], other[:2]) + max(self[2:], other[2:]))


class Token(tuple[str, int, int, int, int]):
    """A piece of an instruction.

    ``text`` is the logical text: escaped line continuations, and comment or
    blank lines inside them, are removed, exactly as the builder sees it.
    ``span`` covers the token in the source, possibly across several lines.

    Held flat as ``(text, *span)``: one tuple per token instead of a token and a
    span. It orders, compares and hashes as ``(text, span)`` would; ``span`` is made
    on access.
    """

    __slots__ = ()

    def __new__(cls, text: str, span: Span) -> Token:
        # Interned: the many tokens that spell the same word (keywords, flags, common
        # arguments) share one string.
        return _tuple_new(cls, (_intern(text),) + span)  # noqa: RUF005 (faster than unpacking)

    if TYPE_CHECKING:

        @property
        def text(self) -> str: ...

    else:
        # The C-level getter namedtuple fields use: ``token.text`` costs what it did.
        text = NamedTuple("_Text", [("text", str)]).text

    @property
    def span(self) -> Span:
        return _tuple_new(Span, self[1:])

    def __repr__(self) -> str:
        return f"Token(text={self[0]!r}, span={self.span!r})"

    def __getnewargs__(self) -> tuple[str, Span]:
        return self[0], self.span  # copy and pickle call ``Token(text, span)``


class Severity(enum.IntEnum):
    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the parser could not make sense of (the user may be typing)."""

    code: str
    name: str
    message: str
    span: Span
    severity: Severity = Severity.ERROR


@dataclass(frozen=True, slots=True)
class Comment:
    text: str  # without the leading '#', stripped
    span: Span  # the whole comment including '#'


@dataclass(frozen=True, slots=True)
class Directive:
    """A parser directive (``# syntax=``, ``# escape=``, ``# check=``)."""

    name: Token  # lower-cased in .text
    value: Token
    span: Span


@dataclass(frozen=True, slots=True)
class Flag:
    """``--name=value`` or ``--name`` before an instruction's arguments."""

    name: Token  # text without the leading dashes, e.g. "from"
    value: Token | None  # None for a bare flag such as --link
    span: Span  # the whole flag, from the dashes to the end of the value

    def options(self) -> dict[str, str]:
        """Split a value such as ``type=cache,target=/root/.npm`` into a dict.

        Keys are lower-cased; a key with no ``=`` maps to ``""``.
        """
        result: dict[str, str] = {}
        if self.value is None:
            return result
        for part in self.value.text.split(","):
            key, _, val = part.partition("=")
            if key.strip():
                result[key.strip().lower()] = val.strip().strip("\"'")
        return result


@dataclass(frozen=True, slots=True)
class KeyValue:
    """One pair of ENV, LABEL or ARG: ``key=value``, legacy ``key value`` or bare ``key``."""

    key: Token
    value: Token | None  # unquoted logical value; None when there is no '=' (ARG NAME)
    raw_value: Token | None  # the value exactly as written (quotes kept)
    span: Span
    legacy: bool = False  # the ``ENV key value`` form


@dataclass(frozen=True, slots=True)
class ExecForm:
    """The JSON (exec) form ``["executable", "arg"]``."""

    elements: tuple[Token, ...]  # decoded strings; spans include the quotes
    span: Span  # from '[' to ']'


@dataclass(frozen=True, slots=True)
class Heredoc:
    name: str  # the delimiter word, without quotes
    marker: Token  # the whole ``<<-"EOF"`` marker in the instruction line
    strip_tabs: bool  # ``<<-``
    quoted: bool  # ``<<"EOF"`` or ``<<'EOF'``: no expansion in the body
    body: Token  # the content between the marker line and the terminator
    terminator: Span | None  # the closing line; None while unterminated

    @property
    def terminated(self) -> bool:
        return self.terminator is not None

    def locate(self, offset: int) -> Position:
        """The source position of ``offset`` into ``body.text``."""
        text = self.body.text
        offset = max(0, min(offset, len(text)))
        start_line, start_column = self.body[1:3]  # the body's span starts there
        line = start_line + text.count("\n", 0, offset)
        last_nl = text.rfind("\n", 0, offset)
        column = offset - (last_nl + 1)
        if last_nl < 0:
            column += start_column
        return Position(line, column)


class VariableModifier(enum.Enum):
    NONE = ""
    DEFAULT = ":-"  # ${VAR:-word}
    DEFAULT_UNSET = "-"  # ${VAR-word}
    ALTERNATE = ":+"  # ${VAR:+word}
    ALTERNATE_SET = "+"  # ${VAR+word}
    REQUIRED = ":?"  # ${VAR:?word}
    REQUIRED_SET = "?"  # ${VAR?word}
    OTHER = "other"  # ${VAR#…}, ${VAR%…}, ${VAR/…}: valid in newer BuildKit, kept verbatim


@dataclass(frozen=True, slots=True)
class VariableRef:
    name: str
    span: Span  # the whole reference, ``$VAR`` or ``${VAR:-x}``
    name_span: Span  # just ``VAR``
    modifier: VariableModifier
    word: str | None  # the word after the modifier, if any
    braced: bool


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image reference split into its parts (each part has its own span)."""

    text: str
    span: Span
    registry: Token | None
    repository: Token  # e.g. "library/node" is given as written: "node"
    tag: Token | None
    digest: Token | None

    @property
    def name(self) -> str:
        """The repository as a user writes it, with the registry, without tag/digest."""
        if self.registry is None:
            return self.repository.text
        return f"{self.registry.text}/{self.repository.text}"


@dataclass(frozen=True, slots=True)
class Instruction:
    keyword: Token  # as written, e.g. "run"
    name: str  # upper-cased keyword, e.g. "RUN"
    span: Span  # the whole instruction, continuation lines and heredoc bodies included
    flags: tuple[Flag, ...]
    args: tuple[Token, ...]  # the arguments after the flags, split on white space
    rest: Token | None  # everything after the flags as one logical string (None if empty)
    exec_form: ExecForm | None  # set when ``rest`` is a JSON array of strings
    pairs: tuple[KeyValue, ...]  # ENV, LABEL, ARG only
    heredocs: tuple[Heredoc, ...]  # RUN, COPY, ADD only
    comments: tuple[Comment, ...]  # comments inside the continuation lines
    trigger: Instruction | None  # the wrapped instruction of ONBUILD
    index: int  # position among the document's instructions (0-based)
    # Where each run of ``rest.text`` starts in the source: (offset, line, column).
    # Continuations make the logical text discontinuous; ``locate`` maps it back.
    rest_segments: tuple[tuple[int, int, int], ...] = ()

    def locate(self, offset: int) -> Position:
        """The source position of ``offset`` into ``rest.text`` (``len`` gives its end)."""
        if self.rest is None or not self.rest_segments:
            return self.span.end
        if offset >= len(self.rest.text):
            return self.rest.span.end
        i = bisect.bisect_right(self.rest_segments, (offset, 1 << 62, 0)) - 1
        seg_offset, line, column = self.rest_segments[max(i, 0)]
        return Position(line, column + offset - seg_offset)

    def locate_span(self, start: int, end: int) -> Span:
        """The source span of ``rest.text[start:end]``."""
        if end > start:
            first, last = self.locate(start), self.locate(end - 1)
            return Span.of(first.line, first.column, last.line, last.column + 1)
        pos = self.locate(start)
        return Span(pos, pos)

    @property
    def start_line(self) -> int:
        return self.span[0]

    @property
    def end_line(self) -> int:
        return self.span[2]

    def flag(self, name: str) -> Flag | None:
        """The last flag with this name (without dashes), as the builder would take it."""
        found = None
        for f in self.flags:
            if f.name.text.lower() == name:
                found = f
        return found

    def flags_named(self, name: str) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.name.text.lower() == name)

    @property
    def is_shell_form(self) -> bool:
        return self.exec_form is None and self.rest is not None


@dataclass(frozen=True, slots=True)
class Stage:
    index: int
    from_: Instruction
    image: ImageRef | None  # None for a FROM without arguments
    name: Token | None  # the ``AS name``, as written (compare lower-cased)
    instructions: tuple[Instruction, ...]  # after FROM, up to the next FROM
    span: Span
    # The image reference with global ARG defaults expanded (``node:${V}`` ->
    # ``node:20``); None when it depends on a value only known at build time.
    resolved_image: str | None = None

    @property
    def name_lower(self) -> str | None:
        return self.name.text.lower() if self.name is not None else None


@dataclass(frozen=True, slots=True)
class Dockerfile:
    text: str
    lines: tuple[str, ...]  # the source split on \r\n, \n or \r, without the line breaks
    escape: str  # "\\" or "`"
    directives: tuple[Directive, ...]
    instructions: tuple[Instruction, ...]  # top level, in order (ONBUILD triggers inside)
    comments: tuple[Comment, ...]  # every comment, directives excluded
    global_args: tuple[Instruction, ...]  # ARG before the first FROM
    stages: tuple[Stage, ...]
    problems: tuple[Problem, ...]
    bom: bool = False
    # Lookup tables built on first use, never compared: stages by lower-cased ``AS`` name
    # (the first wins), and the stage of each top-level instruction at its index (a list:
    # no dictionary entry and id() int per instruction).
    _by_name: dict[str, Stage] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    _by_index: list[Stage | None] = field(
        default_factory=list, init=False, repr=False, compare=False, hash=False
    )

    def _indexed(self) -> list[Stage | None]:
        """The stage of each top-level instruction by index (None before the first FROM),
        with ``_by_name`` filled. Built once: stage lookups stay O(1)."""
        owners = self._by_index
        if len(owners) < len(self.instructions):
            built: list[Stage | None] = [None] * len(self.instructions)
            names: dict[str, Stage] = {}
            for stage in reversed(self.stages):
                if stage.name is not None:
                    names[stage.name.text.lower()] = stage
                built[stage.from_.index] = stage
                for ins in stage.instructions:
                    built[ins.index] = stage
            self._by_name.update(names)
            owners[:] = built  # at once, names first: another thread never sees half a table
        return owners

    def directive(self, name: str) -> Directive | None:
        for d in self.directives:
            if d.name.text == name:
                return d
        return None

    def stage_of(self, instruction: Instruction) -> Stage | None:
        """The stage whose FROM or top-level instruction this is (by identity)."""
        owners = self._indexed()
        index = instruction.index
        if 0 <= index < len(owners) and self.instructions[index] is instruction:
            return owners[index]
        return None

    def stage_called(self, name: str) -> Stage | None:
        """The first stage with this ``AS`` name (case-insensitive)."""
        self._indexed()
        return self._by_name.get(name.lower())

    def stage_named(self, name: str) -> Stage | None:
        """A stage by its ``AS`` name (case-insensitive) or its index."""
        stage = self.stage_called(name)
        if stage is not None:
            return stage
        lowered = name.lower()
        if lowered.isdigit():
            idx = int(lowered)
            if 0 <= idx < len(self.stages):
                return self.stages[idx]
        return None

    def instruction_at(self, pos: Position) -> Instruction | None:
        for ins in self.instructions:
            if ins.span.start.line <= pos.line <= ins.span.end.line:
                return ins
        return None
