"""What a shell script runs: commands made of words, each with its source span.

Everything here is immutable and position-accurate in the syntax model's terms
(0-based line, code-point column). The values are produced by
``dockerls.shell.parse``; rules only read them.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

from dockerls.shell.options import value_options
from dockerls.syntax.model import Span

_intern = sys.intern


class Word:
    """One shell word.

    ``text`` has quotes removed and simple escapes resolved (best effort: the
    text of an expansion such as ``$HOME`` or ``$(nproc)`` is kept as written);
    ``raw`` is the word exactly as written. ``dynamic`` is set when the word
    contains a parameter expansion, command or arithmetic substitution.

    Immutable. The parser gives words a ``span`` that is worked out when first
    read: most words are only ever compared by text.
    """

    # The texts are interned (the same word written many times shares one string, and
    # ``text`` is ``raw`` when nothing was unquoted); where a located word's span comes
    # from is kept in slots, not in a tuple of its own.
    __slots__ = ("_end", "_span", "_start", "_where", "dynamic", "raw", "text")

    def __init__(self, text: str, raw: str, span: Span, dynamic: bool = False) -> None:
        self.text = _intern(text)
        self.raw = _intern(raw)
        self.dynamic = dynamic
        self._span: Span | None = span
        self._where: Callable[[int, int], Span] | None = None
        self._start = self._end = 0

    @classmethod
    def located(
        cls,
        text: str,
        raw: str,
        where: Callable[[int, int], Span],
        start: int,
        end: int,
        *,
        dynamic: bool = False,
    ) -> Word:
        """A word whose span is ``where(start, end)``, computed on first use."""
        word = cls.__new__(cls)
        word.text = _intern(text)
        word.raw = _intern(raw)
        word.dynamic = dynamic
        word._span = None
        word._where, word._start, word._end = where, start, end
        return word

    @property
    def span(self) -> Span:
        if self._span is None:
            assert self._where is not None
            self._span = self._where(self._start, self._end)
        return self._span

    def _key(self) -> tuple[str, str, bool, Span]:
        return (self.text, self.raw, self.dynamic, self.span)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Word):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Word({self.text!r}, raw={self.raw!r}, span={self.span!r}, dynamic={self.dynamic})"

    def after(self, prefix_len: int) -> Word:
        """The part of the word after its first ``prefix_len`` characters.

        Meant for a plain prefix such as ``--opt=`` or ``NAME=`` (no quotes or
        escapes in it). The span is narrowed when the parser placed the word and
        the prefix is written as is; otherwise it stays the whole word's.
        """
        text = self.text[prefix_len:]
        if self._where is None or not self.raw.startswith(self.text[:prefix_len]):
            return Word(text, self.raw, self.span, self.dynamic)
        return Word.located(
            text,
            self.raw[prefix_len:],
            self._where,
            min(self._start + prefix_len, self._end),
            self._end,
            dynamic=self.dynamic,
        )


@dataclass(frozen=True, slots=True)
class Assignment:
    """``NAME=value``: before a command (``X=1 make``, ``env X=1 make``), alone, or after export."""

    name: str
    value: Word | None  # None for ``NAME=`` with nothing after the '='
    span: Span


@dataclass(frozen=True, slots=True)
class Redirect:
    """A redirection such as ``> /dev/null``, ``2>&1`` or ``<<EOF``."""

    operator: str  # as written, including a file descriptor: ">", "2>", ">>", "&>", "<<", "<<<"
    target: Word | None  # the file, descriptor or heredoc delimiter
    span: Span


@dataclass(frozen=True, slots=True)
class Option:
    """An option found in a command's arguments (see ``Command.options``)."""

    name: str  # "-y", "--no-cache" (a cluster such as "-yq" gives "-y" and "-q")
    value: Word | None  # "--opt=v", "-ov", "--opt v" when the option takes a value
    word: Word  # the word the option is written in


@dataclass(frozen=True, slots=True)
class Command:
    """One simple command that the script runs.

    ``argv`` is never empty. Prefixes that only change how the real command
    runs (``sudo``, ``env``, ``exec``, ``nohup``, ``time``, ``command``, and the
    shell around a command string, ``sh -c '…'``, or around a RUN heredoc,
    ``RUN bash <<EOF``) are stripped from it: their names are in ``wrappers``
    and their words in ``prefix_words``, in source order. Commands unwrapped
    from one ``sudo sh -c '…'`` share its prefix words.

    ``span`` covers the command as written (assignments and wrappers
    included, redirections after it excluded); for a command unwrapped from a
    string or heredoc, its part of that text. ``connector`` is the operator
    that precedes it: ``"&&"``, ``"||"``, ``";"``, ``"|"``, ``"&"``, ``"\\n"``
    or None for the first command (of the script or of a substitution).
    """

    argv: tuple[Word, ...]
    span: Span
    connector: str | None = None
    assignments: tuple[Assignment, ...] = ()  # set for (or, after export/local, by) this command
    wrappers: tuple[str, ...] = ()  # e.g. ("sudo", "env"), or ("sh",) for a command inside sh -c
    prefix_words: tuple[Word, ...] = ()
    redirects: tuple[Redirect, ...] = ()
    in_subshell: bool = False  # inside ( … )
    in_condition: bool = False  # the condition of if/elif/while/until
    in_substitution: bool = False  # inside $( … ), ` … ` or <( … )

    @property
    def name(self) -> str:
        """The program's base name: ``/usr/bin/apt-get`` gives ``apt-get``."""
        return self.argv[0].text.rsplit("/", 1)[-1]

    @property
    def args(self) -> tuple[Word, ...]:
        return self.argv[1:]

    def wrapper(self, name: str) -> Word | None:
        """The prefix word that invoked wrapper ``name`` (e.g. ``sudo``), if any."""
        for word in self.prefix_words:
            if word.text.rsplit("/", 1)[-1] == name:
                return word
        return None

    def options(self, takes_value: Collection[str] | None = None) -> Iterator[Option]:
        """The options in ``args``, in order, up to a ``--``.

        ``takes_value`` names the options whose value may be the next word
        (``-o Dpkg::Options=…``, ``--virtual .deps``); by default it comes from a
        table of common programs (``dockerls.shell.options``). A single-dash
        word is one option when it is listed or two characters long, otherwise
        a cluster of short options (``-yq``) where a value-taking letter takes
        the rest of the word or the next word (``tar -xzf file``).
        """
        yield from _scan(self, takes_value)[0]

    def positionals(self, takes_value: Collection[str] | None = None) -> tuple[Word, ...]:
        """The arguments that are neither options nor option values."""
        return _scan(self, takes_value)[1]

    def subcommand(self, takes_value: Collection[str] | None = None) -> Word | None:
        """The first positional argument: ``install`` in ``apt-get -y install x``."""
        positionals = self.positionals(takes_value)
        return positionals[0] if positionals else None

    def has_option(self, *names: str, takes_value: Collection[str] | None = None) -> bool:
        """Whether any of ``names`` (with their dashes) is given, as a word or in a cluster."""
        return self.option(*names, takes_value=takes_value) is not None

    def option(self, *names: str, takes_value: Collection[str] | None = None) -> Option | None:
        """The last occurrence of any of ``names``, as the program would take it."""
        wanted = set(names)
        found = None
        for opt in self.options(takes_value):
            if opt.name in wanted:
                found = opt
        return found

    def option_value(self, *names: str, takes_value: Collection[str] | None = None) -> Word | None:
        """The value of the last occurrence of any of ``names``."""
        opt = self.option(*names, takes_value=takes_value)
        return None if opt is None else opt.value

    def shifted(self, count: int) -> Command:
        """This command with its first ``count`` words moved to ``prefix_words``.

        For programs that run another: ``python3 -m pip install x`` shifted by
        two is ``pip install x``. The argv never becomes empty.
        """
        count = max(0, min(count, len(self.argv) - 1))
        return dataclasses.replace(
            self, argv=self.argv[count:], prefix_words=self.prefix_words + self.argv[:count]
        )


@dataclass(frozen=True, slots=True)
class Script:
    """The commands a RUN (or CMD, ENTRYPOINT, HEALTHCHECK CMD) executes, in order.

    Control flow is flattened away: commands inside ``&&``/``||`` lists,
    pipelines, ``( )`` and ``{ }`` groups, ``if``/``case``/loop bodies,
    function bodies, ``sh -c`` strings and shell heredoc bodies all appear in
    source order. A command substitution's commands come just before the
    command whose words contain them (just after it when they are in a
    redirection or heredoc). ``has_error`` is set when the shell parser
    met text it could not make sense of; ``commands`` still holds what parsed.
    """

    commands: tuple[Command, ...] = ()
    has_error: bool = False
    assignments: tuple[Assignment, ...] = ()  # statements that only assign (``X=1`` alone)

    def named(self, *names: str) -> Iterator[Command]:
        """The commands whose program is one of ``names`` (base names)."""
        wanted = set(names)
        return (cmd for cmd in self.commands if cmd.name in wanted)


_Scanned = tuple[tuple[Option, ...], tuple[Word, ...]]
# Scans with the default option table, by command: many rules ask for the same command's
# options, and a command outlives an edit elsewhere (shell parses are carried over). An
# entry holds its command, so its id is not reused while the entry is there.
_SCANS: dict[int, tuple[Command, _Scanned]] = {}
_SCANS_KEPT = 4096


def _scan(command: Command, takes_value: Collection[str] | None) -> _Scanned:
    if takes_value is not None:
        return _scanned(command, takes_value)
    entry = _SCANS.get(id(command))
    if entry is not None and entry[0] is command:
        return entry[1]
    if len(_SCANS) >= _SCANS_KEPT:
        _SCANS.clear()
    found = _scanned(command, value_options(command.name))
    _SCANS[id(command)] = (command, found)
    return found


def _scanned(command: Command, takes_value: Collection[str]) -> _Scanned:
    options: list[Option] = []
    positionals: list[Word] = []
    args = command.args
    i = 0
    while i < len(args):
        word = args[i]
        text = word.text
        i += 1
        if text == "--":
            positionals.extend(args[i:])
            break
        if len(text) < 2 or not text.startswith("-"):
            positionals.append(word)
            continue
        name, eq, _ = text.partition("=")
        if text.startswith("--") or name in takes_value or len(name) == 2:
            if eq:
                options.append(Option(name, word.after(len(name) + 1), word))
            elif name in takes_value and i < len(args):
                options.append(Option(name, args[i], word))
                i += 1
            else:
                options.append(Option(name, None, word))
            continue
        for k in range(1, len(text)):
            short = "-" + text[k]
            if short not in takes_value:
                options.append(Option(short, None, word))
                continue
            if k + 1 < len(text):
                options.append(Option(short, word.after(k + 1), word))
            elif i < len(args):
                options.append(Option(short, args[i], word))
                i += 1
            else:
                options.append(Option(short, None, word))
            break
    return tuple(options), tuple(positionals)
