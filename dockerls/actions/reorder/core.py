"""Shared machinery of the reorder refactoring: the results, what a rewrite is made of
(the source copy, the files, the moved or prefetched install), what one package manager
contributes (``Manager``, declared by each ecosystem's module), and the document text.
Pure."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dockerls.context import BuildContext, PackageManager
from dockerls.edits import line_offsets, offset_of
from dockerls.findings import Fix, TextEdit
from dockerls.rules.dependency_steps import DependencyStep
from dockerls.rules.engine import RuleContext
from dockerls.shell import Command, Word
from dockerls.syntax import Dockerfile, Flag, Instruction, Position, Span, Token

# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class ReorderAction:
    """One offered rewrite: apply ``edits`` together."""

    title: str  # "Copy package.json and package-lock.json before COPY . . (npm)"
    edits: tuple[TextEdit, ...]
    ecosystem: PackageManager
    unsafe_reason: str | None  # set when the rewrite may change what the build does
    span: Span  # the copied source (``.``): where DKL301 reports
    install: Span  # the word naming the dependency step (``ci``, ``build``)

    @property
    def fix(self) -> Fix:
        """The rewrite as a ``Fix`` (unsafe when ``unsafe_reason`` is set)."""
        return Fix(self.title, self.edits, safe=self.unsafe_reason is None)


@dataclass(frozen=True, slots=True)
class NotReorderable:
    """A DKL301 occurrence the rewrite is not offered for, and why."""

    ecosystem: PackageManager
    reason: str  # a sentence for the editor: "... runs between them: ..."
    span: Span  # the copied source, as for ``ReorderAction``
    install: Span


@dataclass(frozen=True, slots=True)
class Reorders:
    actions: tuple[ReorderAction, ...] = ()
    refusals: tuple[NotReorderable, ...] = ()


# --------------------------------------------------------------------------- vocabulary

SAFE_NAME = re.compile(r"^[A-Za-z0-9._+@*?\[\]/-]+$")
_PY_VERSION = re.compile(r"^(pip|python)[0-9.]*$")


def summary(ins: Instruction) -> str:
    """``RUN npm ci && npm run build`` shortened to one readable line."""
    text = " ".join(ins.rest.text.split()) if ins.rest is not None else ""
    if len(text) > 40:
        text = text[:37].rstrip() + "..."
    return f"{ins.keyword.text.upper()} {text}".rstrip().replace("`", "'")


def program(word: Word) -> str:
    base = word.text.rsplit("/", 1)[-1].lower()
    match = _PY_VERSION.match(base)
    return match.group(1) if match else base


# --------------------------------------------------------------------------- source text


class Source:
    """Offsets into the document text: slices keep line breaks and escapes as written."""

    def __init__(self, doc: Dockerfile) -> None:
        self.doc = doc
        self.text = doc.text
        self.offsets = line_offsets(doc.text)
        self.newline = _newline(doc.text)

    def offset(self, pos: Position) -> int:
        return offset_of(self.offsets, self.text, pos)

    def slice(self, start: Position, end: Position) -> str:
        return self.text[self.offset(start) : self.offset(end)]

    def lines(self, first: int, last: int) -> str:
        """Lines ``first..last`` with their line breaks (one is added at the end of the file)."""
        text = self.slice(Position(first, 0), Position(last + 1, 0))
        if not text.endswith(("\n", "\r")):
            text += self.newline
        return text

    def blank(self, line: int) -> bool:
        return 0 <= line < len(self.doc.lines) and not self.doc.lines[line].strip()

    def indent(self, ins: Instruction) -> str:
        line = self.doc.lines[ins.start_line] if ins.start_line < len(self.doc.lines) else ""
        return line[: len(line) - len(line.lstrip(" \t"))]


def _newline(text: str) -> str:
    at = text.find("\n")
    if at > 0 and text[at - 1] == "\r":
        return "\r\n"
    if at < 0 and "\r" in text:
        return "\r"
    return "\n"


# ------------------------------------------------------------------- what a rewrite is made of


@dataclass(frozen=True, slots=True)
class No:
    reason: str


@dataclass(frozen=True, slots=True)
class Files:
    """What the manifest COPY takes, relative to the directory the install runs in."""

    names: tuple[str, ...]  # files or patterns; ``src/App.csproj`` keeps its directory
    directories: tuple[str, ...] = ()  # copied one by one: ``gradle`` -> ``gradle/``
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Prefetch:
    """A dependency-only command to insert; the original RUN stays."""

    shell: str  # ``go mod download`` (with the original's assignments and wrappers)
    argv: tuple[str, ...] | None  # the same as an exec-form array, when it can be one
    shown: str  # for the title


@dataclass(frozen=True, slots=True)
class Move:
    """The install (with setup before it and cleanup after it) moves up."""

    first: int  # index of the first moved command
    last: int  # index of the last moved command
    whole: bool  # the RUN holds nothing else: it moves byte for byte


@dataclass(frozen=True, slots=True)
class Copy:
    """The source copy the rewrite is anchored on."""

    ins: Instruction
    source: Token
    prefix: str  # the source directory in the context: "" for ``.``, "frontend/" ...
    dest: str  # the destination directory as written, ending in "/"
    flags: tuple[str, ...]  # the flags the manifest copy takes over, as written


def flag_text(src: Source, flag: Flag) -> str:
    """A flag as written; rebuilt from its parts when it spans lines."""
    if flag.span.start.line == flag.span.end.line:
        return src.slice(flag.span.start, flag.span.end)
    value = "" if flag.value is None else f"={flag.value.text}"
    return f"--{flag.name.text}{value}"


def flag_present(cmd: Command, *names: str) -> bool:
    return any(w.text.split("=", 1)[0] in names for w in cmd.args)


# --------------------------------------------------------------------------- package managers

# The dependency-only command for a step that also needs the sources (from the step, its
# positionals and its subcommand): whether it replaces the install's arguments (``go build``
# -> ``go mod download``) or adds to them (``poetry install --no-root``), and the words it
# adds; None to move the install instead.
PrefetchWords = tuple[bool, list[str]]
Prefetcher = Callable[[DependencyStep, Sequence[Word], str], PrefetchWords | No | None]
# The files an install reads when not its manifest, lockfiles and configuration (from the
# step, where the install runs in the context, and whether the context is listed there);
# None for those.
FileReader = Callable[[RuleContext, DependencyStep, str, bool], Files | No | None]


@dataclass(frozen=True, slots=True)
class Manager:
    """What the rewrite knows about one package manager (each ecosystem's module declares its
    own; ``ecosystems.MANAGERS`` lists them all)."""

    label: str  # for titles and reasons: "npm", "Poetry", ".NET"
    manifest: tuple[str, ...] = ()  # read before the sources: ``package.json``
    lockfiles: tuple[str, ...] = ()  # copied when they exist: ``package-lock.json``
    config_files: tuple[str, ...] = ()  # copied when they exist: ``.npmrc``
    # Without a context: one pattern that matches the manifest and the lockfile, whatever
    # exists.
    patterns: tuple[str, ...] | None = None
    # Options that fail the install when the lockfile is missing: it exists.
    lockfile_flags: tuple[str, ...] = ()
    # Options that make the install read another directory or other files.
    elsewhere: tuple[str, ...] = ()
    # What names the manager's download cache in a cleanup command.
    cache_hints: tuple[str, ...] = ()
    # What the install writes into the project (a host copy sent with the context would
    # overwrite it).
    outputs: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # said of every rewrite for this manager
    prefetch: Prefetcher | None = None  # for an install that also needs the sources
    files: FileReader | None = None  # for files other than the manifest and lockfiles
    # What the listed build context says about the install: why no rewrite, or notes.
    context: Callable[[BuildContext], No | list[str]] | None = None
    # Root directories of the listed build context the install reads besides its files
    # (copied with them when they exist and are sent).
    directories: Callable[[BuildContext], tuple[str, ...]] | None = None
    # The prefetch's shell command wrapped in what it needs (from whether the RUN's shell is
    # POSIX): Cargo's placeholder ``src/main.rs``; the prefetch is then never exec form.
    placeholder: Callable[[str, bool], str | No] | None = None
