"""``parse(text) -> Dockerfile``: error-tolerant, position-accurate, never raises.

The reading of lines follows BuildKit's Dockerfile parser (directives at the top,
escaped line continuations, comments and blank lines skipped inside them, flags
before arguments, heredocs for RUN/COPY/ADD) so the instruction sequence agrees
with what ``docker build`` sees. Where BuildKit would stop with an error (an
unterminated heredoc, a bad directive), the parser records a ``Problem`` and goes
on, because a half-typed file is normal input for an editor.
"""

from __future__ import annotations

import bisect
import operator
import re
import sys
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from dockerls.syntax import lexer
from dockerls.syntax.images import parse_image_ref
from dockerls.syntax.model import (
    Comment,
    Directive,
    Dockerfile,
    ExecForm,
    Flag,
    Heredoc,
    Instruction,
    KeyValue,
    Position,
    Problem,
    Severity,
    Span,
    Stage,
    Token,
)
from dockerls.syntax.variables import expand

INSTRUCTIONS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)
HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
EXEC_FORM_INSTRUCTIONS = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"})
PAIR_INSTRUCTIONS = frozenset({"ENV", "LABEL", "ARG"})
DIRECTIVES = frozenset({"syntax", "escape", "check"})

# Problem codes reported by the parser itself.
UNKNOWN_INSTRUCTION = ("DKL001", "unknown-instruction")
MISSING_ARGUMENTS = ("DKL002", "missing-arguments")
UNTERMINATED_HEREDOC = ("DKL003", "unterminated-heredoc")
MALFORMED_EXEC_FORM = ("DKL004", "malformed-exec-form")
INVALID_DIRECTIVE = ("DKL005", "invalid-directive")
INSTRUCTION_BEFORE_FROM = ("DKL006", "instruction-before-from")
MALFORMED_KEY_VALUE = ("DKL007", "malformed-key-value")
EMPTY_COMMAND = ("DKL008", "empty-command")
# Instructions BuildKit builds with nothing after them (checked with real builds).
_EMPTY_ALLOWED = frozenset({"RUN", "CMD", "ENTRYPOINT"})

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_DIRECTIVE = re.compile(r"^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$")
_HEREDOC = re.compile(r"^(\d*)<<(-?)([^<]*)$")
_BOM = "\ufeff"
NOWHERE = 1 << 62  # a line past the end of any text
_Item = TypeVar("_Item", Comment, Problem)
_SPAN = operator.attrgetter("span")


def split_lines(text: str) -> list[str]:
    """Split on the line breaks LSP knows (\\r\\n, \\n, \\r), dropping them."""
    if "\r" not in text:
        return text.split("\n")  # the same, several times faster
    return _LINE_BREAK.split(text)


def _line_of(item: Comment | Problem) -> int:
    return item.span.start.line


def _on_lines(items: list[_Item], start: int, end: int) -> list[_Item]:
    """The items on lines [start, end) of a list in line order."""
    low = bisect.bisect_left(items, start, key=_line_of)
    return items[low : bisect.bisect_left(items, end, lo=low, key=_line_of)]


def _unchanged(old: list[str], new: list[str]) -> tuple[int, int]:
    """How many first lines ``new`` has in common with ``old``, and from which line on
    it ends with the same lines at the same places (``len(new)`` when the number of
    lines differs: then no line is at its old place)."""
    size = min(len(old), len(new))
    low, high = 0, size  # old[:low] == new[:low]; old[:high + 1] != new[:high + 1] or end
    while low < high:  # list comparisons run in C: a binary search beats a Python loop
        middle = (low + high + 1) // 2
        if old[low:middle] == new[low:middle]:
            low = middle
        else:
            high = middle - 1
    before = low
    if len(old) != len(new):
        return before, len(new)
    low, high = before, len(new)  # old[high:] == new[high:]; not from low - 1 on
    while low < high:
        middle = (low + high) // 2
        if old[middle:high] == new[middle:high]:
            high = middle
        else:
            low = middle + 1
    return before, high


@dataclass(slots=True)
class _Logical:
    """One logical line: the instruction text with its continuations joined."""

    text: str
    segments: list[tuple[int, int, int]]  # (offset in text, line, column)
    first_line: int
    last_line: int
    comments: list[Comment] = field(default_factory=list)

    def locate(self, offset: int) -> Position:
        segments = self.segments
        if len(segments) == 1:
            _, line, column = segments[0]
            return Position(line, column + offset)
        i = bisect.bisect_right(segments, (offset, 1 << 62, 0)) - 1
        seg_offset, line, column = segments[max(i, 0)]
        return Position(line, column + offset - seg_offset)

    def span(self, start: int, end: int) -> Span:
        if len(self.segments) == 1:
            _, line, column = self.segments[0]
            return Span.of(line, column + start, line, column + max(start, end))
        if end <= start:
            pos = self.locate(start)
            return Span(pos, pos)
        first, last = self.locate(start), self.locate(end - 1)
        return Span.of(first.line, first.column, last.line, last.column + 1)

    def token(self, start: int, end: int, text: str | None = None) -> Token:
        return Token(self.text[start:end] if text is None else text, self.span(start, end))

    def rebased(self, start: int) -> tuple[tuple[int, int, int], ...]:
        """The segments re-expressed relative to ``start``."""
        out: list[tuple[int, int, int]] = []
        for i, (off, line, col) in enumerate(self.segments):
            nxt = self.segments[i + 1][0] if i + 1 < len(self.segments) else len(self.text) + 1
            if nxt <= start:
                continue
            if off < start:
                out.append((0, line, col + start - off))
            else:
                out.append((off - start, line, col))
        return tuple(out)


@dataclass(slots=True)
class _Block:
    """One instruction as a parse read it: the physical lines it came from and what
    reading them produced. The same lines at the same place, with the same escape
    character and instruction index, produce the same values."""

    lines: list[str]  # lines[first : end] of the text it was read from
    at_eof: bool  # the block ran to the end of the text (its end may move with it)
    instruction: Instruction
    problems: list[Problem]
    comments: list[Comment]
    # Stands for what was read, whatever the instruction's index: the same token means
    # the same instruction at the same place, apart from ``index``.
    token: Hashable = field(default_factory=object)

    def renumbered(self, index: int) -> _Block:
        """This block as the instruction numbered ``index`` (the same token)."""
        ins = self.instruction
        trigger = ins.trigger
        if trigger is not None:
            trigger = replace(trigger, index=index)
        ins = replace(ins, index=index, trigger=trigger)
        return _Block(self.lines, self.at_eof, ins, self.problems, self.comments, self.token)


class Reuse:
    """What one parse leaves for the next parse of an edited version of the same text.

    ``parse(text, reuse)`` takes over every instruction whose lines, first line and
    escape character are unchanged from the previous parse, and reads only the others:
    the same object when its index is unchanged too (so caches keyed by it stay valid),
    else a copy with its new index (an instruction appeared or went away above it).
    ``tokens`` gives, by ``id``, a token for each instruction (and ONBUILD trigger) of
    the latest parse: the same token for instructions equal but for their index, in
    this parse and the ones before. A stage made of the same instruction objects is
    taken over too. It keeps only what the latest text has. Not thread-safe: one
    ``Reuse`` per document.
    """

    __slots__ = (
        "blocks",
        "comments",
        "ends",
        "escape",
        "hits",
        "instructions",
        "lines",
        "order",
        "problems",
        "stages",
        "standalone",
        "start",
        "tokens",
        "unchanged",
    )

    def __init__(self) -> None:
        self.blocks: dict[tuple[int, str], _Block] = {}
        self.lines: list[str] = []  # of the latest text
        self.hits = 0  # instructions taken over by the latest parse (for tests)
        self.tokens: dict[int, Hashable] = {}
        # The stages of the latest parse, by index, the ids of their instructions and the
        # global ARG values: a stage made of the same objects is taken over too.
        self.stages: dict[Hashable, Stage] = {}
        # The latest parse in document order, so that the runs of it before and after an
        # edit are taken over in one go: the blocks with their first line, the line after
        # each, their instructions, the comments (all, and those between instructions)
        # and the problems of the instructions.
        self.order: list[tuple[int, _Block]] = []
        self.ends: list[int] = []
        self.instructions: list[Instruction] = []
        self.comments: list[Comment] = []
        self.standalone: list[Comment] = []
        self.problems: list[Problem] = []
        self.start = -1  # the line after the directives
        self.escape = ""
        # Lines [0, a) and [b, end) of the latest text are those of the text before it,
        # at the same places.
        self.unchanged: tuple[int, int] = (0, NOWHERE)


class _Parser:
    def __init__(self, text: str, reuse: Reuse | None = None) -> None:
        self.reuse = reuse
        # With ``reuse``: the instructions' blocks in order with the line after each, the
        # comments between instructions, the blocks read or renumbered in this parse, and
        # which of the previous parse's blocks were taken over in bulk (the first ``head``
        # ones and those from ``tail`` on).
        self.order: list[tuple[int, _Block]] = []
        self.ends: list[int] = []
        self.standalone: list[Comment] = []
        self.fresh: list[_Block] = []
        self.head = 0
        self.tail: int | None = None
        self.renumbered = False  # the blocks from ``tail`` on
        self.text = text
        self.lines = split_lines(text)
        self.bom = text.startswith(_BOM)
        self.escape = "\\"
        self.directives: list[Directive] = []
        self.comments: list[Comment] = []
        self.problems: list[Problem] = []
        self.instructions: list[Instruction] = []
        self.cursor = 0  # the next unread line while building an instruction
        # Lines [0, same_before) and [same_after, end) are those of the previous text.
        self.same_before = self.same_after = 0
        if reuse is not None:
            self.same_before, self.same_after = _unchanged(reuse.lines, self.lines)

    # -- problems -------------------------------------------------------------

    def problem(
        self, kind: tuple[str, str], message: str, span: Span, severity: Severity = Severity.ERROR
    ) -> None:
        self.problems.append(Problem(kind[0], kind[1], message, span, severity))

    # -- lines ----------------------------------------------------------------

    def content(self, index: int) -> tuple[str, int]:
        """A physical line without the BOM, and the column where it starts."""
        line = self.lines[index]
        if index == 0 and self.bom:
            return line[1:], 1
        return line, 0

    def read_directives(self) -> int:
        """Parse directives at the top; return the index of the first other line."""
        seen: set[str] = set()
        index = 0
        while index < len(self.lines):
            line, base = self.content(index)
            stripped = line.lstrip()
            indent = base + len(line) - len(stripped)
            match = _DIRECTIVE.match(stripped)
            if not match or match.group(1).lower() not in DIRECTIVES:
                return index
            name = match.group(1).lower()
            name_tok = Token(
                name, Span.of(index, indent + match.start(1), None, indent + match.end(1))
            )
            value_tok = Token(
                match.group(2), Span.of(index, indent + match.start(2), None, indent + match.end(2))
            )
            span = Span.of(index, indent, None, indent + len(stripped))
            if name in seen:
                self.problem(
                    INVALID_DIRECTIVE, f"Only one '{name}' parser directive can be used.", span
                )
            elif name == "escape" and value_tok.text not in ("\\", "`"):
                self.problem(
                    INVALID_DIRECTIVE,
                    f"Invalid escape character '{value_tok.text}': use '\\' or '`'.",
                    value_tok.span,
                )
            elif name == "escape":
                self.escape = value_tok.text
            seen.add(name)
            self.directives.append(Directive(name_tok, value_tok, span))
            index += 1
        return index

    def comment_at(self, index: int) -> Comment | None:
        line, base = self.content(index)
        stripped = line.lstrip()
        if not stripped.startswith("#"):
            return None
        col = base + len(line) - len(stripped)
        return Comment(stripped[1:].strip(), Span.of(index, col, None, base + len(line.rstrip())))

    def continues(self, line: str) -> int | None:
        """If ``line`` ends with the escape character (plus blanks), where it starts."""
        end = len(line.rstrip(" \t"))
        if end > 0 and line[end - 1] == self.escape:
            return end - 1
        return None

    def read_logical(self, index: int) -> _Logical:
        """Read the instruction starting at line ``index`` (which is not blank/comment)."""
        line, base = self.content(index)
        stripped = line.lstrip()
        col = base + len(line) - len(stripped)
        logical = _Logical("", [], index, index)
        cut = self.continues(stripped)
        chunk = stripped if cut is None else stripped[:cut]
        logical.segments.append((0, index, col))
        parts = [chunk]
        size = len(chunk)
        while cut is not None and logical.last_line + 1 < len(self.lines):
            logical.last_line += 1
            i = logical.last_line
            comment = self.comment_at(i)
            if comment is not None:
                logical.comments.append(comment)
                self.comments.append(comment)
                continue
            line, base = self.content(i)
            if not line.strip():
                continue
            cut = self.continues(line)
            chunk = line if cut is None else line[:cut]
            logical.segments.append((size, i, base))
            parts.append(chunk)
            size += len(chunk)
        logical.text = "".join(parts)
        return logical

    # -- the main loop --------------------------------------------------------

    def run(self) -> Dockerfile:
        index = start = self.read_directives()
        count = len(self.lines)
        reuse = self.reuse
        blocks = reuse.blocks if reuse is not None else {}
        if reuse is not None:
            index = self.take_before(index)
        while index < count:
            # An instruction read at this line last time starts here again if its lines are
            # unchanged (whether a line is a comment or blank depends on it alone).
            key = (index, self.escape)
            block = self.reused(key) if key in blocks else None
            if block is not None:
                if index >= self.same_after:  # the rest of the text is as it was
                    index = self.take_after(index)
                    continue
                self.add(index, block)
                index += len(block.lines)
                continue
            comment = self.comment_at(index)
            if comment is not None:
                self.comments.append(comment)
                self.standalone.append(comment)
                index += 1
                continue
            line, _ = self.content(index)
            if not line.strip():
                index += 1
                continue
            first, problems, comments = index, len(self.problems), len(self.comments)
            logical = self.read_logical(index)
            index = logical.last_line + 1
            if not logical.text.strip():
                continue  # only an escape character: BuildKit makes an empty node, we skip it
            instruction, index = self.build(logical, index)
            self.instructions.append(instruction)
            if reuse is not None:
                block = _Block(
                    self.lines[first:index],
                    index >= count,
                    instruction,
                    self.problems[problems:],
                    self.comments[comments:],
                )
                self.order.append((first, block))
                self.ends.append(index)
                self.fresh.append(block)
        if reuse is not None:
            self.keep(reuse, start)
        return self.finish()

    def add(self, first: int, block: _Block) -> None:
        """Add one block the previous parse read, renumbered if need be."""
        if block.instruction.index != len(self.instructions):
            block = block.renumbered(len(self.instructions))
            self.fresh.append(block)
        self.instructions.append(block.instruction)
        self.problems.extend(block.problems)
        self.comments.extend(block.comments)
        self.order.append((first, block))
        self.ends.append(first + len(block.lines))

    def take_before(self, index: int) -> int:
        """Take over the instructions from line ``index`` (where the directives end) that
        lie wholly in the unchanged lines at the top, and the comments between them;
        return the line after them."""
        reuse = self.reuse
        assert reuse is not None
        if reuse.start != index or reuse.escape != self.escape:
            return index  # the directives changed: nothing is read as it was
        # A block that ends in the unchanged lines was read from those lines alone, unless
        # it was cut short by the end of the text.
        count = bisect.bisect_right(reuse.ends, self.same_before)
        if count and reuse.order[count - 1][1].at_eof:
            count -= 1
        if not count:
            return index
        after = reuse.ends[count - 1]
        self.order.extend(reuse.order[:count])
        self.ends.extend(reuse.ends[:count])
        self.instructions.extend(reuse.instructions[:count])
        self.take_lines(index, after)
        reuse.hits += count
        self.head = count
        return after

    def take_after(self, index: int) -> int:
        """Take over every instruction from the one at line ``index`` on, and the comments
        between them: the lines from ``index`` to the end are those of the previous text at
        the same places, so they read as they did. Return the line count."""
        reuse = self.reuse
        assert reuse is not None
        at = bisect.bisect_left(reuse.order, (index,))
        self.tail = at
        reuse.hits += len(reuse.order) - at - 1  # ``reused`` counted the first one
        self.ends.extend(reuse.ends[at:])
        shift = len(self.instructions) - at
        self.renumbered = shift != 0
        if shift:  # an instruction appeared or went away above: renumber the rest
            rest = [
                (first, block.renumbered(i + shift))
                for i, (first, block) in enumerate(reuse.order[at:], at)
            ]
            self.fresh.extend(block for _, block in rest)
            self.order.extend(rest)
            self.instructions.extend(block.instruction for _, block in rest)
        else:
            self.order.extend(reuse.order[at:])
            self.instructions.extend(reuse.instructions[at:])
        self.take_lines(index, len(self.lines))
        return len(self.lines)

    def take_lines(self, start: int, end: int) -> None:
        """The comments and problems of the previous parse on lines [start, end), which
        are unchanged and hold whole instructions."""
        reuse = self.reuse
        assert reuse is not None
        self.comments.extend(_on_lines(reuse.comments, start, end))
        self.standalone.extend(_on_lines(reuse.standalone, start, end))
        self.problems.extend(_on_lines(reuse.problems, start, end))

    def keep(self, reuse: Reuse, start: int) -> None:
        """Leave what this parse read for the next one."""
        # The blocks by place: those taken over in bulk (and not renumbered) are filed
        # under their place already; the others of the previous parse go, this one's come.
        blocks = reuse.blocks
        tail = len(reuse.order) if self.tail is None else self.tail
        for first, _ in reuse.order[self.head : tail]:
            del blocks[(first, reuse.escape)]
        stop = len(self.order) - (len(reuse.order) - tail)
        if self.renumbered:
            stop = len(self.order)
        for first, block in self.order[self.head : stop]:
            blocks[(first, self.escape)] = block
        reuse.blocks = blocks
        reuse.order, reuse.ends = self.order, self.ends
        reuse.instructions = self.instructions[:]
        reuse.comments = self.comments[:]
        reuse.standalone = self.standalone
        reuse.problems = self.problems[:]
        reuse.lines = self.lines
        reuse.start = start
        reuse.escape = self.escape
        reuse.unchanged = (self.same_before, self.same_after)
        # Tokens by id: those of the blocks taken over as they were are still right; an
        # id of an instruction that is gone may come back on a new one, which is given
        # its token here. Entries of instructions that are gone are dropped now and then.
        tokens = reuse.tokens
        fresh = self.fresh
        if len(tokens) > 2 * len(self.order) + 64:
            tokens = {}
            fresh = [block for _, block in self.order]
        for block in fresh:
            ins = block.instruction
            tokens[id(ins)] = block.token
            if ins.trigger is not None:
                tokens[id(ins.trigger)] = (block.token, "trigger")
        reuse.tokens = tokens

    def reused(self, key: tuple[int, str]) -> _Block | None:
        """The block the previous parse read at this place, if its lines are unchanged."""
        if self.reuse is None:
            return None
        block = self.reuse.blocks.get(key)
        if block is None:
            return None
        first = key[0]
        end = first + len(block.lines)
        if block.at_eof and end != len(self.lines):
            return None  # it was cut short by the end of the text, which has moved
        unchanged = end <= self.same_before or first >= self.same_after
        if not unchanged and self.lines[first:end] != block.lines:
            return None
        self.reuse.hits += 1
        return block

    # -- instructions ---------------------------------------------------------

    def build(self, logical: _Logical, next_line: int) -> tuple[Instruction, int]:
        kw_start, kw_end = lexer.split_plain(logical.text, 0, len(logical.text))[0]
        self.cursor = next_line
        instruction = self.instruction(logical, kw_start, kw_end, len(self.instructions), True)
        return instruction, self.cursor

    def instruction(
        self, logical: _Logical, kw_start: int, kw_end: int, index: int, top: bool = False
    ) -> Instruction:
        """Build one instruction; ``top`` is False for the trigger inside ONBUILD."""
        text = logical.text
        keyword = logical.token(kw_start, kw_end)
        name = sys.intern(keyword.text.upper())  # one string per instruction name
        if name not in INSTRUCTIONS:
            self.problem(
                UNKNOWN_INSTRUCTION,
                f"Unknown instruction '{keyword.text}'.",
                keyword.span,
            )
        raw_flags, args_start = lexer.extract_flags(text, kw_end)
        flags = tuple(self.flag(logical, b, e, word) for b, e, word in raw_flags)
        args_end = len(text.rstrip())
        args_start = min(args_start, args_end)
        rest = logical.token(args_start, args_end) if args_end > args_start else None
        trigger: Instruction | None = None
        exec_form: ExecForm | None = None
        pairs: tuple[KeyValue, ...] = ()
        if rest is None:
            if name in _EMPTY_ALLOWED:
                self.problem(
                    EMPTY_COMMAND,
                    f"{name} has no command: the builder accepts it, but it runs nothing.",
                    keyword.span,
                    Severity.WARNING,
                )
            elif name in INSTRUCTIONS and name not in ("ONBUILD",):
                self.problem(
                    MISSING_ARGUMENTS, f"{name} needs arguments.", keyword.span, Severity.ERROR
                )
        elif name == "ONBUILD":
            sub = lexer.split_plain(text, args_start, args_end)
            trigger = self.instruction(logical, sub[0][0], sub[0][1], index)
        else:
            if name in EXEC_FORM_INSTRUCTIONS or name == "HEALTHCHECK":
                exec_form = self.exec_form(logical, name, args_start, args_end)
            if name in PAIR_INSTRUCTIONS:
                pairs = self.pairs(logical, name, args_start, args_end)
        args = tuple(logical.token(b, e) for b, e in lexer.split_plain(text, args_start, args_end))
        if len(args) == 1 and args[0] == rest:
            args = (rest,)  # one argument: the same token as the rest, kept once
        if name == "ONBUILD" and rest is None:
            self.problem(MISSING_ARGUMENTS, "ONBUILD needs an instruction.", keyword.span)
        heredocs: tuple[Heredoc, ...] = ()
        if top:
            _, first_line, first_col = logical.segments[0]
            last_text, last_base = self.content(logical.last_line)
            end = Position(logical.last_line, last_base + len(last_text))
            if name in HEREDOC_INSTRUCTIONS and exec_form is None and "<<" in text:
                heredocs, self.cursor, heredoc_end = self.read_heredocs(logical, self.cursor)
                if heredoc_end is not None:
                    end = heredoc_end
            span = Span(Position(first_line, first_col), end)
        else:
            span = logical.span(kw_start, args_end) if args_end > kw_start else keyword.span
        return Instruction(
            keyword=keyword,
            name=name,
            span=span,
            flags=flags,
            args=args,
            rest=rest,
            exec_form=exec_form,
            pairs=pairs,
            heredocs=heredocs,
            comments=tuple(logical.comments),
            trigger=trigger,
            index=index,
            rest_segments=logical.rebased(args_start) if rest is not None else (),
        )

    def flag(self, logical: _Logical, begin: int, end: int, word: str) -> Flag:
        body = word[2:]
        name, eq, value = body.partition("=")
        raw = logical.text[begin:end]
        name_end = begin + 2 + len(name) if raw[2:].startswith(name) else end
        name_tok = Token(name, logical.span(begin + 2, name_end))
        value_tok: Token | None = None
        if eq:
            value_tok = Token(value, logical.span(min(name_end + 1, end), end))
        return Flag(name_tok, value_tok, logical.span(begin, end))

    def exec_form(self, logical: _Logical, name: str, start: int, end: int) -> ExecForm | None:
        text = logical.text
        json_start = start
        if name == "HEALTHCHECK":
            words = lexer.split_plain(text, start, end)
            if len(words) < 2 or text[words[0][0] : words[0][1]].upper() != "CMD":
                return None
            json_start = words[1][0]
        if not text.startswith("[", json_start):
            return None
        scanned = lexer.scan_json_array(text[:end], json_start)
        if scanned is None:
            self.problem(
                MALFORMED_EXEC_FORM,
                f"{name} arguments start with '[' but are not a JSON array of "
                'double-quoted strings, so they run as a shell command. Use ["a", "b"].',
                logical.span(json_start, end),
                # SHELL has no shell form to fall back on: the build fails.
                Severity.ERROR if name == "SHELL" else Severity.WARNING,
            )
            return None
        elements, close = scanned
        return ExecForm(
            tuple(Token(value, logical.span(b, e)) for b, e, value in elements),
            logical.span(json_start, close),
        )

    def unquoted(self, raw: Token) -> Token:
        """``raw`` with its quotes and escapes removed: ``raw`` itself when it has none."""
        text = lexer.unquote(raw.text, self.escape)
        return raw if text == raw.text else Token(text, raw.span)

    def pairs(self, logical: _Logical, name: str, start: int, end: int) -> tuple[KeyValue, ...]:
        text = logical.text[:end]
        words = lexer.split_words(text, self.escape, start)
        if not words:
            return ()
        first = text[words[0][0] : words[0][1]]
        if name != "ARG" and "=" not in first:
            # Legacy ``ENV key value``: the value is the rest of the line, as written.
            key = logical.token(*words[0])
            if len(words) == 1:
                self.problem(
                    MALFORMED_KEY_VALUE,
                    f"{name} {key.text} has no value: write {name} {key.text}=value.",
                    key.span,
                )
                return (KeyValue(key, None, None, key.span, legacy=True),)
            vstart = words[1][0]
            raw = logical.token(vstart, end)
            value = self.unquoted(raw)
            return (KeyValue(key, value, raw, logical.span(words[0][0], end), legacy=True),)
        result: list[KeyValue] = []
        for b, e in words:
            word = text[b:e]
            eq = word.find("=")
            if eq < 0:
                key = logical.token(b, e)
                if name != "ARG":
                    self.problem(
                        MALFORMED_KEY_VALUE,
                        f"'{word}' is not of the form name=value.",
                        key.span,
                    )
                result.append(KeyValue(key, None, None, key.span))
                continue
            key = logical.token(b, b + eq)
            if not key.text:
                self.problem(MALFORMED_KEY_VALUE, f"{name} names can not be blank.", key.span)
            raw = logical.token(b + eq + 1, e)
            value = self.unquoted(raw)
            result.append(KeyValue(key, value, raw, logical.span(b, e)))
        return tuple(result)

    def read_heredocs(
        self, logical: _Logical, next_line: int
    ) -> tuple[tuple[Heredoc, ...], int, Position | None]:
        """Read the bodies of the heredocs the line opens, from ``next_line`` on."""
        markers: list[tuple[str, bool, bool, int, int]] = []
        for b, e in lexer.split_words(logical.text, "\\"):
            word = logical.text[b:e]
            match = _HEREDOC.match(word)
            if not match or not match.group(3):
                continue
            raw_name = match.group(3)
            name = lexer.unquote(raw_name, "\\")
            if not name or any(c.isspace() for c in name):
                continue
            quoted = any(q in raw_name for q in "'\"")
            markers.append((name, match.group(2) == "-", quoted, b, e))
        heredocs: list[Heredoc] = []
        end: Position | None = None
        index = next_line
        for name, strip_tabs, quoted, b, e in markers:
            body_start = index
            body_lines: list[str] = []
            terminator: Span | None = None
            while index < len(self.lines):
                line, base = self.content(index)
                candidate = line.lstrip("\t") if strip_tabs else line
                if candidate == name:
                    terminator = Span.of(index, base, None, base + len(line))
                    index += 1
                    break
                body_lines.append(line)
                index += 1
            body_text = "".join(f"{ln}\n" for ln in body_lines)
            if terminator is not None:
                body_end = terminator.start
                end = terminator.end
            else:
                last = len(self.lines) - 1
                body_end = Position(last, len(self.lines[last]))
                end = body_end
            # An unterminated heredoc on the last line has an empty body at the end.
            body_begin = Position(body_start, 0) if body_start <= body_end.line else body_end
            marker = logical.token(b, e)
            if terminator is None:
                self.problem(
                    UNTERMINATED_HEREDOC,
                    f"Heredoc '{name}' is not terminated: add a line with just '{name}'.",
                    marker.span,
                )
            heredocs.append(
                Heredoc(
                    name=name,
                    marker=marker,
                    strip_tabs=strip_tabs,
                    quoted=quoted,
                    body=Token(body_text, Span(body_begin, body_end)),
                    terminator=terminator,
                )
            )
        return tuple(heredocs), index, end

    # -- the document ---------------------------------------------------------

    def finish(self) -> Dockerfile:
        instructions = self.instructions
        froms = [i for i, ins in enumerate(instructions) if ins.name == "FROM"]
        first = froms[0] if froms else len(instructions)
        global_args: list[Instruction] = []
        arg_values: dict[str, str] = {}
        complained = False
        for ins in instructions[:first]:
            if ins.name == "ARG":
                global_args.append(ins)
                for pair in ins.pairs:
                    # A default may use an earlier ARG; one that depends on an unknown
                    # value (a build-time platform ARG, say) is unknown too.
                    value = None if pair.value is None else expand(pair.value.text, arg_values)
                    if value is not None:
                        arg_values[pair.key.text] = value
            elif not complained and ins.name in INSTRUCTIONS:
                complained = True
                self.problem(
                    INSTRUCTION_BEFORE_FROM,
                    f"{ins.name} comes before the first FROM; only ARG may.",
                    ins.keyword.span,
                )

        reuse = self.reuse
        old_stages = reuse.stages if reuse is not None else {}
        new_stages: dict[Hashable, Stage] = {}
        args_key = tuple(arg_values.items())
        stages: list[Stage] = []
        for index, at in enumerate(froms):
            from_ = instructions[at]
            body = tuple(
                instructions[at + 1 : froms[index + 1] if index + 1 < len(froms) else None]
            )
            if reuse is None:
                stages.append(_stage(index, from_, body, arg_values))
                continue
            # A stage made of the very instruction objects of last time is taken over.
            key = (index, args_key, id(from_), *map(id, body))
            stage = old_stages.get(key)
            if stage is None:
                stage = _stage(index, from_, body, arg_values)
            new_stages[key] = stage
            stages.append(stage)
        if reuse is not None:
            reuse.stages = new_stages
        self.problems.sort(key=lambda p: p.span.start)
        # Comments are read in order already; no two start at the same place.
        self.comments.sort(key=_SPAN)
        return Dockerfile(
            text=self.text,
            lines=tuple(self.lines),
            escape=self.escape,
            directives=tuple(self.directives),
            instructions=tuple(instructions),
            comments=tuple(self.comments),
            global_args=tuple(global_args),
            stages=tuple(stages),
            problems=tuple(self.problems),
            bom=self.bom,
        )


def _stage(
    index: int, from_: Instruction, body: tuple[Instruction, ...], arg_values: dict[str, str]
) -> Stage:
    image = None
    resolved = None
    name = None
    args = from_.args
    if args:
        first = args[0]
        image = parse_image_ref(first.text, from_.locate_span)
        resolved = expand(first.text, arg_values)
        if len(args) >= 3 and args[1].text.upper() == "AS":
            name = args[2]
    return Stage(
        index=index,
        from_=from_,
        image=image,
        name=name,
        instructions=body,
        span=Span(from_.span.start, (body[-1] if body else from_).span.end),
        resolved_image=resolved,
    )


def parse(text: str, reuse: Reuse | None = None) -> Dockerfile:
    """Parse Dockerfile text. Never raises: problems are recorded in the result.

    With ``reuse`` (kept from the parse of an earlier version of the same document),
    instructions whose lines did not change are taken over instead of read again; the
    result is equal to a parse without it.
    """
    if reuse is not None:
        reuse.hits = 0
    return _Parser(text, reuse).run()
