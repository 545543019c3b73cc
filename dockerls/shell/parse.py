"""Shell text to commands, with tree-sitter-bash doing the parsing.

tree-sitter never fails: broken input gives a tree with error nodes, and
``Script.has_error``. It reports UTF-8 byte offsets; everything here works
in code-point offsets into the text, converted once per parse, and turns them
into source spans through the caller's span function (so continuation lines
and nested strings map back exactly).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from dockerls.shell.model import Assignment, Command, Redirect, Script, Word
from dockerls.shell.text import unquote
from dockerls.syntax.model import Position, Span

if TYPE_CHECKING:
    from tree_sitter import Language, Node, Parser

SpanFn = Callable[[int, int], Span]
"""Maps ``[start, end)`` code-point offsets in the parsed text to a source span."""

POSIX_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"})

_SEPARATORS = {
    "&&": "&&",
    "||": "||",
    ";": ";",
    ";;": ";",
    ";&": ";",
    ";;&": ";",
    "|": "|",
    "|&": "|",
    "&": "&",
}
_OPAQUE = frozenset(
    {
        "simple_expansion",
        "expansion",
        "command_substitution",
        "arithmetic_expansion",
        "process_substitution",
    }
)
_SUBSTITUTIONS = frozenset({"command_substitution", "process_substitution"})
_CONDITIONAL = frozenset({"if_statement", "elif_clause", "while_statement"})
_MAX_TREE_DEPTH = 150  # deeper input is pathological; stop descending and flag an error
_MAX_NESTING = 6  # sh -c '… sh -c "…" …'
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_HEREDOC_OPERATOR = re.compile(r"\d*<<-?")
# tree-sitter-bash 0.25 can crash the process (SIGSEGV) on a 4-byte UTF-8 character
# after a '{' (tree-sitter/tree-sitter-bash#337); lone surrogates are no UTF-8 at
# all. tree-sitter reads one same-width stand-in instead: offsets in code points
# are unchanged, and words are read from the original text.
_UNSAFE = re.compile("[\U00010000-\U0010ffff\ud800-\udfff]")

# The options of wrappers that take a value.
_SUDO_VALUES = frozenset(
    {"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U", "--user", "--group", "--chdir"}
    | {"--close-from", "--host", "--prompt", "--role", "--type", "--command-timeout", "--chroot"}
    | {"--other-user"}
)
_ENV_VALUES = frozenset({"-u", "--unset", "-C", "--chdir"})
_EXEC_VALUES = frozenset({"-a"})
_TIME_VALUES = frozenset({"-f", "--format", "-o", "--output"})


@functools.cache
def _language() -> Language:
    """The bash grammar, loaded on first use (importing it costs ~25 ms)."""
    import tree_sitter_bash
    from tree_sitter import Language

    return Language(tree_sitter_bash.language())


_local = threading.local()


def _parser() -> Parser:
    """One parser per thread (a tree-sitter parser is not thread-safe), made on first use."""
    parser: Parser | None = getattr(_local, "parser", None)
    if parser is None:
        from tree_sitter import Parser

        parser = Parser(_language())
        _local.parser = parser
    return parser


def span_fn_of(locate: Callable[[int], Position]) -> SpanFn:
    """A span function from a position function (offset → position of that character)."""

    def span(start: int, end: int) -> Span:
        first = locate(start)
        if end <= start:
            return Span(first, first)
        last = locate(end - 1)
        return Span(first, Position(last.line, last.column + 1))

    return span


def mapped_span(starts: Sequence[int], ends: Sequence[int], empty_at: int, outer: SpanFn) -> SpanFn:
    """The span function of a string whose character ``i`` came from
    ``[starts[i], ends[i])`` of a text that ``outer`` maps (see ``text.unquote``)."""

    def span(start: int, end: int) -> Span:
        first = starts[start] if start < len(starts) else (ends[-1] if ends else empty_at)
        last = ends[end - 1] if start < end <= len(ends) else first
        return outer(first, last)

    return span


def parse_shell(text: str, locate: Callable[[int], Position]) -> Script:
    """Parse ``text`` as a POSIX shell script.

    ``locate(offset)`` gives the source position of the character at that
    code-point offset of ``text`` (``len(text)`` for its end).
    """
    return parse_script(text, span_fn_of(locate))


def parse_script(
    text: str,
    span: SpanFn,
    *,
    source: str | None = None,
    bodies: Mapping[int, HeredocBody] | None = None,
    depth: int = 0,
) -> Script:
    """Parse ``text``; see ``parse_shell``.

    ``source`` is what tree-sitter reads when it differs from ``text`` (same
    length): the heredoc markers of a RUN line replaced by ``<___``
    placeholders that tree-sitter understands, with ``bodies`` keyed by the
    placeholder's offset.
    """
    return _Builder(text, span, source, bodies, depth).script()


@dataclass(frozen=True, slots=True)
class HeredocBody:
    """A heredoc of a RUN instruction, seen from the RUN line that names it."""

    text: str
    span: SpanFn
    is_script: bool  # False when its shebang names another interpreter
    marker_end: int  # offset in the RUN line after the ``<<EOF`` marker


def shell_invocation(argv: Sequence[Word]) -> tuple[str, int] | None:
    """How ``argv`` runs a POSIX shell: ``("c", i)`` when ``argv[i]`` is the
    command string of ``-c``, ``("stdin", i)`` when it reads its script from
    standard input; None when it is no shell or runs a script file."""
    name = argv[0].text.rsplit("/", 1)[-1]
    i = 1
    if name == "busybox":
        if len(argv) < 2 or argv[1].text not in ("sh", "ash"):
            return None
        i = 2
    elif name not in POSIX_SHELLS:
        return None
    command_mode = stdin = False
    while i < len(argv):
        text = argv[i].text
        if text in ("-", "--"):
            i += 1
            break
        if text.startswith("--"):
            i += 2 if text in ("--rcfile", "--init-file") else 1
            continue
        if len(text) < 2 or text[0] not in "-+":
            break
        letters = text[1:]
        if text[0] == "-":
            command_mode = command_mode or "c" in letters
            stdin = stdin or "s" in letters
        i += 2 if ("o" in letters or "O" in letters) else 1
    if command_mode:
        return ("c", i) if i < len(argv) else None
    if stdin or i >= len(argv):
        return ("stdin", i)
    return None


def _skip_options(words: Sequence[Word], i: int, values: frozenset[str], seen: list[str]) -> int:
    """The index after the options of a wrapper starting at ``words[i]``."""
    while i < len(words):
        text = words[i].text
        if text == "--":
            return i + 1
        if len(text) < 2 or text[0] != "-":
            return i
        i += 1
        if text.startswith("--"):
            name = text.partition("=")[0]
            seen.append(name)
            if name in values and "=" not in text:
                i += 1
            continue
        for k in range(1, len(text)):
            short = "-" + text[k]
            seen.append(short)
            if short in values:
                if k == len(text) - 1:
                    i += 1
                break
    return i


def unwrap(words: Sequence[Word]) -> tuple[int, tuple[str, ...], tuple[int, ...]]:
    """Strip ``sudo``/``env``/``exec``/``nohup``/``time``/``command`` prefixes.

    Returns the index of the real program in ``words``, the wrapper names, and
    the indices of ``NAME=value`` words given to ``env`` or ``sudo``. A wrapper
    with nothing after it is the command itself.
    """
    k = 0
    wrappers: list[str] = []
    assigned: list[int] = []
    while k < len(words) - 1 and not words[k].dynamic:
        name = words[k].text.rsplit("/", 1)[-1]
        seen: list[str] = []
        found: list[int] = []
        if name in ("sudo", "env"):
            j = _skip_options(words, k + 1, _SUDO_VALUES if name == "sudo" else _ENV_VALUES, seen)
            if name == "env" and ("-S" in seen or "--split-string" in seen):
                break
            while j < len(words) and _ASSIGNMENT.match(words[j].text):
                found.append(j)
                j += 1
        elif name == "exec":
            j = _skip_options(words, k + 1, _EXEC_VALUES, seen)
        elif name == "time":
            j = _skip_options(words, k + 1, _TIME_VALUES, seen)
        elif name == "nohup":
            j = k + 2 if words[k + 1].text == "--" else k + 1
        elif name == "command":
            j = _skip_options(words, k + 1, frozenset(), seen)
            if "-v" in seen or "-V" in seen:
                break
        else:
            break
        if j >= len(words):
            break
        wrappers.append(name)
        assigned.extend(found)
        k = j
    return k, tuple(wrappers), tuple(assigned)


def word_assignment(word: Word) -> Assignment:
    """The ``NAME=value`` that ``word`` (an ``env``/``sudo`` argument) sets."""
    name = word.text.partition("=")[0]
    value = word.after(len(name) + 1)
    return Assignment(name, value if value.raw else None, word.span)


def adopt(inner: Sequence[Command], outer: Command, shell_words: tuple[Word, ...]) -> list[Command]:
    """The commands of a shell's script standing in for the shell command ``outer``."""
    shell = outer.argv[0].text.rsplit("/", 1)[-1]
    adopted = []
    for index, cmd in enumerate(inner):
        adopted.append(
            dataclasses.replace(
                cmd,
                connector=outer.connector if index == 0 else cmd.connector,
                assignments=outer.assignments + cmd.assignments,
                wrappers=(*outer.wrappers, shell, *cmd.wrappers),
                prefix_words=outer.prefix_words + shell_words + cmd.prefix_words,
                in_subshell=outer.in_subshell or cmd.in_subshell,
                in_condition=outer.in_condition or cmd.in_condition,
                in_substitution=outer.in_substitution or cmd.in_substitution,
            )
        )
    return adopted


class _Flags(NamedTuple):
    subshell: bool = False
    condition: bool = False
    substitution: bool = False


class _Arg(NamedTuple):
    word: Word
    start: int
    end: int
    opaque: tuple[tuple[int, int], ...]


def _byte_to_char(text: str) -> list[int]:
    """Code-point offset of each UTF-8 byte offset (no astral characters: see _UNSAFE)."""
    table: list[int] = []
    for index, char in enumerate(text):
        code = ord(char)
        table.extend([index] * (1 if code < 0x80 else 2 if code < 0x800 else 3))
    table.append(len(text))
    return table


class _Builder:
    def __init__(
        self,
        text: str,
        span: SpanFn,
        source: str | None,
        bodies: Mapping[int, HeredocBody] | None,
        depth: int,
    ) -> None:
        self.text = text
        self.span = span
        self.depth = depth
        self.bodies = dict(bodies or {})
        parsed = text if source is None else source
        if not parsed.isascii():
            parsed = _UNSAFE.sub("\ufffd", parsed)
        self.data = parsed.encode()
        self.b2c = None if len(self.data) == len(text) else _byte_to_char(parsed)
        self.commands: list[Command] = []
        self.assignments: list[Assignment] = []
        self.sep: str | None = None
        self.redirected: dict[int, list[Node]] = {}  # command node id → its redirections
        self.fresh = True  # no command yet in this context (the script or a substitution)
        # Where a substitution may start (a superset): commands are only searched there.
        self.marks = sorted(m.start() for m in re.finditer(rb"\$\(|`|<\(|>\(", self.data))
        root = _parser().parse(self.data).root_node
        self.has_error = root.has_error
        self._walk(root, _Flags(), 0)

    def script(self) -> Script:
        return Script(tuple(self.commands), self.has_error, tuple(self.assignments))

    # offsets and words

    def _cp(self, byte: int) -> int:
        if self.b2c is None:
            return byte
        return self.b2c[min(byte, len(self.b2c) - 1)]

    def _arg(self, node: Node) -> _Arg:
        start, end = self._cp(node.start_byte), self._cp(node.end_byte)
        raw = self.text[start:end]
        opaque: list[tuple[int, int]] = []
        if node.type in _OPAQUE:
            opaque.append((start, end))
        elif "$" in raw or "`" in raw or "(" in raw:
            stack = list(reversed(node.children))
            while stack:
                child = stack.pop()
                if child.type in _OPAQUE:
                    opaque.append((self._cp(child.start_byte), self._cp(child.end_byte)))
                else:
                    stack.extend(reversed(child.children))
        unquoted = unquote(self.text, start, end, opaque)
        word = Word.located(unquoted.text, raw, self.span, start, end, dynamic=unquoted.dynamic)
        return _Arg(word, start, end, tuple(opaque))

    def _inner(self, arg: _Arg) -> tuple[str, SpanFn]:
        """The text of ``arg`` without its quotes, and where its characters are."""
        unquoted = unquote(self.text, arg.start, arg.end, arg.opaque, track=True)
        empty_at = arg.start + (1 if arg.word.raw[:1] in ("'", '"') else 0)
        return unquoted.text, mapped_span(unquoted.starts, unquoted.ends, empty_at, self.span)

    # the walk

    def _walk(self, node: Node, flags: _Flags, level: int) -> None:
        if level > _MAX_TREE_DEPTH:
            self.has_error = True
            return
        kind = node.type
        if kind == "command":
            self._command(node, self.redirected.pop(node.id, ()), flags, level)
        elif kind == "redirected_statement":
            self._redirected(node, flags, level)
        elif kind in ("declaration_command", "unset_command"):
            self._declaration(node, flags, level)
        elif kind == "variable_assignment":
            self.assignments.append(self._assignment(node))
            self._nested(node, flags, level)
        elif kind in _SUBSTITUTIONS:
            self._substitution(node, flags, level)
        elif kind == "file_redirect" and self._cp(node.start_byte) in self.bodies:
            self._body(self.bodies.pop(self._cp(node.start_byte)), flags)
        elif kind != "comment":
            self._children(node, flags, level)

    def _children(self, node: Node, flags: _Flags, level: int) -> None:
        if node.type == "subshell":
            flags = flags._replace(subshell=True)
        condition = node.type in _CONDITIONAL
        before = node.start_byte
        for child in node.children:
            if not child.is_named:
                if child.type in _SEPARATORS:
                    self.sep = _SEPARATORS[child.type]
                elif child.type == "then":
                    condition = False
                before = child.end_byte
                continue
            if child.type == "do_group":
                condition = False
            if self.sep is None and self.data.find(b"\n", before, child.start_byte) >= 0:
                self.sep = "\n"
            self._walk(child, flags._replace(condition=True) if condition else flags, level + 1)
            before = child.end_byte

    def _nested(self, node: Node, flags: _Flags, level: int) -> None:
        """Run the substitutions inside a command's words (they run before it)."""
        if not self._marked(node):
            return
        for child in node.children:
            if not self._marked(child):
                continue
            if child.type in _SUBSTITUTIONS:
                self._substitution(child, flags, level + 1)
            elif level < _MAX_TREE_DEPTH:
                self._nested(child, flags, level + 1)

    def _marked(self, node: Node) -> bool:
        i = bisect.bisect_left(self.marks, node.start_byte)
        return i < len(self.marks) and self.marks[i] < node.end_byte

    def _substitution(self, node: Node, flags: _Flags, level: int) -> None:
        saved = self.sep, self.fresh
        self.sep, self.fresh = None, True
        self._children(node, flags._replace(substitution=True), level)
        self.sep, self.fresh = saved

    def _connector(self) -> str | None:
        connector = None if self.fresh else self.sep
        self.sep, self.fresh = None, False
        return connector

    def _redirected(self, node: Node, flags: _Flags, level: int) -> None:
        body = node.child_by_field_name("body")
        redirects = [c for c in node.children if c.type.endswith("_redirect")]
        # tree-sitter hangs the redirections of ``a && b > f`` on the whole list;
        # the shell gives them to the last simple command.
        target = body
        while target is not None and target.type in ("list", "pipeline"):
            target = target.named_children[-1] if target.named_child_count else None
        if target is not None and target.type == "command":
            self.redirected[target.id] = redirects
        if body is not None:
            self._walk(body, flags, level + 1)
        for redirect in redirects:
            self._walk(redirect, flags, level + 1)

    # commands

    def _command(
        self, node: Node, outer_redirects: Sequence[Node], flags: _Flags, level: int
    ) -> None:
        self._nested(node, flags, level)
        assignments: list[Assignment] = []
        args: list[_Arg] = []
        redirect_nodes = list(outer_redirects)
        for child in node.children:
            kind = child.type
            if kind == "variable_assignment":
                assignments.append(self._assignment(child))
            elif kind.endswith("_redirect"):
                redirect_nodes.append(child)
            elif child.is_named and kind != "comment":
                args.append(self._arg(child))
        if not args:
            self.assignments.extend(assignments)
            return
        words = [a.word for a in args]
        k, wrappers, assigned = unwrap(words)
        redirects: list[Redirect] = []
        stdin_body: HeredocBody | None = None
        for redirect in redirect_nodes:
            start = self._cp(redirect.start_byte)
            heredoc = self.bodies.pop(start, None)
            if heredoc is None:
                redirects.append(self._redirect(redirect))
                # tree-sitter nests the rest of the line in a heredoc: ``cat <<EOF > f && …``
                for child in redirect.children if redirect.type == "heredoc_redirect" else ():
                    if child.type in _SEPARATORS:
                        break
                    if child.type.endswith("_redirect"):
                        redirects.append(self._redirect(child))
            else:
                redirects.append(self._heredoc_redirect(start, heredoc.marker_end))
                stdin_body = heredoc
        cmd = Command(
            argv=tuple(words[k:]),
            span=self.span(self._cp(node.start_byte), self._cp(node.end_byte)),
            connector=self._connector(),
            assignments=(*assignments, *(word_assignment(words[i]) for i in assigned)),
            wrappers=wrappers,
            prefix_words=tuple(words[:k]),
            redirects=tuple(redirects),
            in_subshell=flags.subshell,
            in_condition=flags.condition,
            in_substitution=flags.substitution,
        )
        invocation = shell_invocation(cmd.argv) if self.depth < _MAX_NESTING else None
        inner: Script | None = None
        if invocation is not None and invocation[0] == "c":
            text, span = self._inner(args[k + invocation[1]])
            inner = parse_script(text, span, depth=self.depth + 1)
        elif invocation is not None and stdin_body is not None and stdin_body.is_script:
            inner = parse_script(stdin_body.text, stdin_body.span, depth=self.depth + 1)
        if inner is None or not inner.commands:
            self.commands.append(cmd)
            return
        shell_words = cmd.argv[: invocation[1] if invocation and invocation[0] == "c" else None]
        self.commands.extend(adopt(inner.commands, cmd, shell_words))
        self.has_error = self.has_error or inner.has_error
        self.assignments.extend(inner.assignments)

    def _body(self, body: HeredocBody, flags: _Flags) -> None:
        """A heredoc that a RUN line names on its own: its body is the script."""
        if not body.is_script:
            return
        inner = parse_script(body.text, body.span, depth=self.depth + 1)
        connector = self._connector()
        for index, cmd in enumerate(inner.commands):
            self.commands.append(
                dataclasses.replace(
                    cmd,
                    connector=connector if index == 0 else cmd.connector,
                    in_subshell=flags.subshell or cmd.in_subshell,
                    in_condition=flags.condition or cmd.in_condition,
                    in_substitution=flags.substitution or cmd.in_substitution,
                )
            )
        self.has_error = self.has_error or inner.has_error
        self.assignments.extend(inner.assignments)

    def _declaration(self, node: Node, flags: _Flags, level: int) -> None:
        """``export``/``local``/``declare``/``readonly``/``typeset``/``unset`` as a command."""
        self._nested(node, flags, level)
        words: list[Word] = []
        assignments: list[Assignment] = []
        for child in node.children:
            if child.type == "comment":
                continue
            if child.type == "variable_assignment":
                assignments.append(self._assignment(child))
            words.append(self._arg(child).word)
        if not words:
            return
        self.commands.append(
            Command(
                argv=tuple(words),
                span=self.span(self._cp(node.start_byte), self._cp(node.end_byte)),
                connector=self._connector(),
                assignments=tuple(assignments),
                in_subshell=flags.subshell,
                in_condition=flags.condition,
                in_substitution=flags.substitution,
            )
        )

    def _assignment(self, node: Node) -> Assignment:
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        start = self._cp(node.start_byte)
        name_text = (
            self.text[self._cp(name.start_byte) : self._cp(name.end_byte)]
            if name is not None
            else self.text[start : self._cp(node.end_byte)].partition("=")[0]
        )
        return Assignment(
            name_text,
            None if value is None else self._arg(value).word,
            self.span(start, self._cp(node.end_byte)),
        )

    def _redirect(self, node: Node) -> Redirect:
        target = node.child_by_field_name("destination")
        if target is None:
            named = [c for c in node.named_children if c.type != "file_descriptor"]
            target = named[0] if named else None
        start = self._cp(node.start_byte)
        if target is None:
            end = self._cp(node.end_byte)
            return Redirect(self.text[start:end].strip(), None, self.span(start, end))
        word = self._arg(target)
        end = word.end if node.type == "heredoc_redirect" else self._cp(node.end_byte)
        return Redirect(self.text[start : word.start].strip(), word.word, self.span(start, end))

    def _heredoc_redirect(self, start: int, end: int) -> Redirect:
        """The ``<<EOF`` of a RUN line (tree-sitter saw a placeholder there)."""
        found = _HEREDOC_OPERATOR.match(self.text, start, end)
        operator = found.group() if found else "<<"
        name_start = start + len(operator)
        while name_start < end and self.text[name_start] in " \t":
            name_start += 1
        unquoted = unquote(self.text, name_start, end)
        target = Word.located(unquoted.text, self.text[name_start:end], self.span, name_start, end)
        return Redirect(operator, target, self.span(start, end))
