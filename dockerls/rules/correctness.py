"""Rules of the correctness family: what ``docker build`` rejects (DKL501-DKL514).

Each rule reproduces one class of error that BuildKit's Dockerfile frontend
raises while parsing or dispatching instructions: malformed FROM lines,
argument counts, image references, flags and their values, ports, signals,
SHELL, ONBUILD triggers, variable substitutions and quotes. The unknown
instruction, missing arguments, unterminated heredocs, malformed JSON, bad
directives, instructions before FROM and malformed ENV/LABEL pairs are the
parser's (DKL001-DKL007) and are not repeated here.

BuildKit's build checks (its warnings) are in ``buildkit_checks``; the word
processing (BuildKit's quote and ``$VAR`` handling), the image reference
grammar and the scope of variables live here and are shared with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NoReturn

from dockerls.findings import Fix, Related, TextEdit
from dockerls.rules.engine import Category, Hit, Rule, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Dockerfile, Flag, Heredoc, Instruction, Severity, Span, Stage, Token

REF = "https://docs.docker.com/reference/dockerfile/"
CHECKS = "https://docs.docker.com/reference/build-checks/"
_REFERENCE_GRAMMAR = "https://github.com/distribution/reference/blob/main/reference.go"

# --------------------------------------------------------------------------- word processing

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


# --------------------------------------------------------------------------- positions


def piece(ins: Instruction | None, token: Token, start: int, end: int) -> Span:
    """The source span of ``token.text[start:end]`` (the whole token when unmappable)."""
    span = token.span
    if span.start.line == span.end.line and span.end.column - span.start.column == len(token.text):
        col = span.start.column
        return Span.of(span.start.line, col + start, None, col + end)
    if ins is not None and ins.rest is not None:
        for offset, line, column in ins.rest_segments:
            if line == span.start.line and column <= span.start.column:
                base = offset + span.start.column - column
                if ins.rest.text[base : base + len(token.text)] == token.text:
                    return ins.locate_span(base + start, base + end)
    return span


def whole_lines(first: int, last: int) -> Span:
    """From the start of line ``first`` to the start of the line after ``last``."""
    return Span.of(first, 0, last + 1, 0)


def instruction_lines(ins: Instruction) -> Span:
    return whole_lines(ins.start_line, ins.end_line)


def same_case(word: str, like: str) -> str:
    """``word`` in the case ``like`` is written in (lower when ``like`` is all lower)."""
    return word.lower() if like == like.lower() and like != like.upper() else word.upper()


# --------------------------------------------------------------------------- suggestions


@lru_cache(maxsize=1 << 14)  # the same names meet again on every keystroke
def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count once)."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def suggest(name: str, candidates: Iterator[str] | tuple[str, ...] | set[str]) -> list[str]:
    """The closest candidates to a misspelled ``name`` (case-insensitive), best first."""
    lowered = name.lower()
    limit = max(1, min(3, len(name) // 3))
    scored: dict[str, int] = {}
    for cand in candidates:
        if cand == name:
            continue
        other = cand.lower()
        if abs(len(other) - len(lowered)) > limit:
            continue  # the distance is at least the difference in length
        d = _distance(lowered, other)
        if d <= limit:
            scored[cand] = min(d, scored.get(cand, d))
    if not scored:
        return []
    best = min(scored.values())
    return sorted(c for c, d in scored.items() if d == best)


def did_you_mean(options: list[str]) -> str:
    if not options:
        return ""
    return " (did you mean " + " or ".join(f"'{o}'" for o in options) + "?)"


# --------------------------------------------------------------------------- image references

_NAME_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REPOSITORY = re.compile(rf"{_NAME_COMPONENT}(?:/{_NAME_COMPONENT})*")
_DOMAIN_PART = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = re.compile(rf"(?:{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?")
_TAG = re.compile(r"\w[\w.-]{0,127}", re.ASCII)
_DIGEST = re.compile(r"([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]{32,})")
_DIGEST_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_HEX64 = re.compile(r"[a-f0-9]{64}")


@dataclass(frozen=True, slots=True)
class RefProblem:
    start: int
    end: int
    message: str
    fix: str | None = None  # replacement for text[start:end] when it is obvious


def digest_problem(digest: str) -> str | None:
    """Why a ``algorithm:hex`` digest is invalid, or None."""
    match = _DIGEST.fullmatch(digest)
    if match is None:
        return f"'{digest}' is not a digest (algorithm:hex, e.g. sha256:<64 hex digits>)"
    algorithm, hex_part = match.group(1), match.group(2)
    expected = _DIGEST_LENGTHS.get(algorithm)
    if expected is None:
        return f"unsupported digest algorithm '{algorithm}' (use sha256, sha384 or sha512)"
    if len(hex_part) != expected or hex_part != hex_part.lower():
        return f"a {algorithm} digest has exactly {expected} lowercase hex digits"
    return None


def reference_problem(text: str) -> RefProblem | None:
    """Why ``text`` is not a valid image reference (Docker's grammar), or None."""
    if not text:
        return RefProblem(0, 0, "the image name is empty")
    at = text.find("@")
    name_tag = text if at < 0 else text[:at]
    if at >= 0:
        problem = digest_problem(text[at + 1 :])
        if problem is not None:
            return RefProblem(at + 1, len(text), problem)
    slash = name_tag.rfind("/")
    colon = name_tag.find(":", slash + 1)
    name = name_tag if colon < 0 else name_tag[:colon]
    if colon >= 0:
        tag = name_tag[colon + 1 :]
        if not tag:
            return RefProblem(colon, colon + 1, "the tag after ':' is empty")
        if not _TAG.fullmatch(tag):
            return RefProblem(
                colon + 1,
                len(name_tag),
                f"invalid tag '{tag}': up to 128 letters, digits, '_', '.' and '-', "
                "not starting with '.' or '-'",
            )
    first = name.find("/")
    repo_start = 0
    if first >= 0:
        domain = name[:first]
        if any(c in domain for c in ".:") or domain == "localhost" or domain != domain.lower():
            repo_start = first + 1
            if not _DOMAIN.fullmatch(domain):
                return RefProblem(0, first, f"invalid registry host '{domain}'")
    repository = name[repo_start:]
    if not repository:
        return RefProblem(repo_start, len(name), "the repository name is empty")
    if repository != repository.lower():
        return RefProblem(
            repo_start,
            len(name),
            f"repository name '{repository}' must be lowercase",
            repository.lower() if _REPOSITORY.fullmatch(repository.lower()) else None,
        )
    if not _REPOSITORY.fullmatch(repository):
        start = repo_start
        for component in repository.split("/"):
            if not re.fullmatch(_NAME_COMPONENT, component):
                return RefProblem(
                    start,
                    start + len(component),
                    f"invalid repository name '{repository}': path components are lowercase "
                    "letters and digits, joined by '.', '_', '__' or '-'",
                )
            start += len(component) + 1
    if len(name) > 255:
        return RefProblem(0, len(name), "the repository name is longer than 255 characters")
    if _HEX64.fullmatch(name):
        return RefProblem(0, len(name), "a 64-digit hexadecimal string can not be an image name")
    return None


# --------------------------------------------------------------------------- scopes

PLATFORM_ARGS = (
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
)
PROXY_ARGS = frozenset(
    p
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY")
    for p in (name, name.lower())
)


def global_scope(doc: Dockerfile) -> dict[str, str | None]:
    """The ARGs before the first FROM (with their defaults), plus the platform ARGs.

    A global ARG without a default is declared with an unknown value.
    """
    env: dict[str, str | None] = dict.fromkeys(PLATFORM_ARGS)
    for ins in doc.global_args:
        for pair in ins.pairs:
            value = None
            if pair.raw_value is not None:
                value = process_word(pair.raw_value.text, env, doc.escape).value
            env[pair.key.text] = value
    return env


def _assign(ins: Instruction, env: dict[str, str | None], globals_: Env, escape: str) -> None:
    """Apply an ARG or ENV to ``env`` (ENV expands with the scope before it)."""
    # One pair reads the scope before it is assigned: only several pairs need a copy.
    before = dict(env) if ins.name == "ENV" and len(ins.pairs) > 1 else env
    for pair in ins.pairs:
        key = pair.key.text
        if pair.raw_value is not None:
            env[key] = process_word(pair.raw_value.text, before, escape).value
        elif ins.name == "ARG" and key not in env:
            env[key] = globals_.get(key)


def scopes(ctx: RuleContext, stage: Stage) -> Iterator[tuple[Instruction, Env]]:
    """Each instruction of ``stage`` with the ARG/ENV values known just before it.

    ENV and ARG carry down the FROM chain (BuildKit copies the parent's build
    arguments and environment); an ARG without a default takes the global value.
    The mapping is live: copy it to keep it.
    """
    doc = ctx.document
    globals_ = ctx.memo(_global_scope)
    env = _inherited(ctx, stage)
    for ins in stage.instructions:
        yield ins, env
        if ins.name in ("ARG", "ENV"):
            _assign(ins, env, globals_, doc.escape)


def _global_scope(ctx: RuleContext) -> dict[str, str | None]:
    return global_scope(ctx.document)


def _stage_ends(ctx: RuleContext) -> dict[int, dict[str, str | None]]:
    """Filled by ``_inherited``: the ARG/ENV values after each parent stage."""
    return {}


def _inherited(ctx: RuleContext, stage: Stage) -> dict[str, str | None]:
    """The ARG/ENV values a stage starts with: those after its parent (a fresh dict).

    Each stage of a FROM chain is walked once, however many stages build on it.
    """
    parent = ctx.graph.parent(stage)
    if parent is None:
        return {}
    ends = ctx.memo(_stage_ends)
    pending: list[Stage] = []
    cursor: Stage | None = parent
    while cursor is not None and cursor.index not in ends:
        pending.append(cursor)
        cursor = ctx.graph.parent(cursor)
        if cursor is not None and cursor.index >= pending[-1].index:
            cursor = None  # parents come earlier; never loop on a malformed graph
    env = dict(ends[cursor.index]) if cursor is not None else {}
    globals_ = ctx.memo(_global_scope)
    for link in reversed(pending):
        for ins in link.instructions:
            if ins.name in ("ARG", "ENV"):
                _assign(ins, env, globals_, ctx.document.escape)
        ends[link.index] = dict(env)
    return dict(ends[parent.index])


def scope_at(ctx: RuleContext, stage: Stage, target: Instruction) -> Env:
    for ins, env in scopes(ctx, stage):
        if ins is target:
            return dict(env)
    return {}


# --------------------------------------------------------------------------- stage references


@dataclass(frozen=True, slots=True)
class StageRef:
    """A ``COPY --from`` or ``RUN --mount=…,from=`` value, with where it is written."""

    instruction: Instruction
    stage: Stage  # the stage the instruction is in
    text: str
    span: Span
    what: str


def mount_fields(value: str) -> list[str] | None:
    """The comma-separated fields of a ``--mount`` value, read like Go's encoding/csv.

    A field may be double-quoted (``""`` is a quote inside it); a quote anywhere else,
    or an unclosed one, is an error (None).
    """
    fields: list[str] = []
    i, n = 0, len(value)
    while True:
        if value.startswith('"', i):
            out: list[str] = []
            i += 1
            while True:
                close = value.find('"', i)
                if close < 0:
                    return None
                out.append(value[i:close])
                i = close + 1
                if value.startswith('"', i):
                    out.append('"')
                    i += 1
                    continue
                break
            if i < n and value[i] != ",":
                return None
            fields.append("".join(out))
        else:
            comma = value.find(",", i)
            end = n if comma < 0 else comma
            if '"' in value[i:end]:
                return None
            fields.append(value[i:end])
            i = end
        if i >= n:
            return fields
        i += 1  # the comma


def _mount_from(flag: Flag) -> tuple[str, Span] | None:
    value = flag.value
    if value is None:
        return None
    fields = mount_fields(value.text)
    for field in fields or ():
        key, eq, source = field.partition("=")
        if eq and key.strip().lower() == "from":
            at = value.text.find(field)
            if at >= 0 and field.startswith(key):
                start = at + len(key) + 1
                return source, piece(None, value, start, start + len(source))
            return source, value.span
    return None


def _stage_refs(ctx: RuleContext) -> tuple[StageRef, ...]:
    return tuple(
        StageRef(stage.instructions[k], stage, text, span, what)
        for stage, refs in zip(ctx.document.stages, ctx.kept_each(_refs_in), strict=True)
        for k, text, span, what in refs
    )


def _refs_in(ctx: RuleContext, stage: Stage) -> list[tuple[int, str, Span, str]]:
    """The stage's references as data: which of its instructions, and the rest."""
    where = {id(ins): k for k, ins in enumerate(stage.instructions)}
    return [(where[id(r.instruction)], r.text, r.span, r.what) for r in _stage_refs_of(stage)]


def all_stage_refs(ctx: RuleContext) -> tuple[StageRef, ...]:
    """``stage_refs`` of the document, worked out once per analysis (each stage's kept
    from the version before when it is made of the same objects)."""
    return ctx.memo(_stage_refs)


def stage_refs(doc: Dockerfile) -> Iterator[StageRef]:
    """Every ``--from`` source in the build (ONBUILD triggers belong to another build)."""
    for stage in doc.stages:
        yield from _stage_refs_of(stage)


def _stage_refs_of(stage: Stage) -> Iterator[StageRef]:
    for ins in stage.instructions:
        if ins.name == "COPY":
            for flag in ins.flags_named("from"):
                if flag.value is not None and flag.value.text:
                    yield StageRef(ins, stage, flag.value.text, flag.value.span, "COPY --from")
        elif ins.name == "RUN":
            for flag in ins.flags_named("mount"):
                found = _mount_from(flag)
                if found is not None and found[0]:
                    yield StageRef(ins, stage, found[0], found[1], "RUN --mount from=")


def earlier_stage(doc: Dockerfile, name: str, before: int) -> Stage | None:
    """A stage called ``name`` (case-insensitively) defined before stage ``before``."""
    stage = doc.stage_called(name)  # the first of that name: any earlier one is it
    return stage if stage is not None and stage.index < before else None


def looks_like_stage_name(text: str) -> bool:
    """A bare word that could name a stage: no registry, path, tag or digest."""
    return bool(text) and not any(c in text for c in "/:@.$") and not text.isdigit()


# --------------------------------------------------------------------------- DKL501


_STAGE_NAME = re.compile(r"[a-z][a-z0-9-_.]*")


@rule(
    "DKL501",
    "malformed-from",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="A FROM line is not `FROM image` or `FROM image AS name`.",
    docs=RuleDocs(
        what="FROM with two arguments or more than three, a second word other than AS, or "
        "a stage name that does not start with a letter or contains characters other than "
        "letters, digits, `-`, `_` and `.`.",
        why="BuildKit stops with 'FROM requires either one or three arguments' or 'invalid "
        "name for build stage' before building anything.",
        example="FROM golang:1.22 AD build\nFROM node:20 AS 2nd-stage",
        instead="FROM golang:1.22 AS build\nFROM node:20 AS second-stage",
        fix_safety="When the second of three words is not AS, the fix replaces it with AS "
        "(in the case FROM is written in). Removing extra words is offered but not "
        "preferred: it changes what the line says.",
        references=(REF + "#from", REF + "#understand-how-arg-and-from-interact"),
    ),
)
def malformed_from(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        ins = stage.from_
        args = ins.args
        if not args:
            continue  # DKL002
        as_word = same_case("AS", ins.keyword.text)
        if len(args) == 2:
            if args[1].text.upper() == "AS":
                yield Hit(args[1].span, "AS must be followed by a stage name.")
            else:
                insert = TextEdit(Span(args[1].span.start, args[1].span.start), f"{as_word} ")
                yield Hit(
                    args[1].span,
                    f"FROM takes an image, optionally followed by AS and a stage name; "
                    f"'{args[1].text}' has no AS before it.",
                    (
                        Fix(
                            f"Insert {as_word} (make '{args[1].text}' the stage name)",
                            (insert,),
                            safe=False,
                        ),
                    ),
                )
        elif len(args) >= 3 and args[1].text.upper() != "AS":
            yield Hit(
                args[1].span,
                f"The second word of FROM must be AS, not '{args[1].text}'.",
                (Fix(f"Replace with {as_word}", (TextEdit(args[1].span, as_word),)),)
                if len(args) == 3
                else (),
            )
        elif len(args) > 3:
            extra = Span(args[3].span.start, args[-1].span.end)
            cut = Span(args[2].span.end, args[-1].span.end)
            yield Hit(
                extra,
                "FROM takes nothing after the stage name.",
                (Fix("Remove the extra words", (TextEdit(cut, ""),), safe=False),),
            )
        name = stage.name
        if name is not None and not _STAGE_NAME.fullmatch(name.text.lower()):
            yield Hit(
                name.span,
                f"Invalid stage name '{name.text}': a stage name starts with a letter and "
                "holds only letters, digits, '-', '_' and '.'.",
            )


# --------------------------------------------------------------------------- DKL502


def _copy_arity(ins: Instruction) -> Hit | None:
    if ins.heredocs and ins.exec_form is None and len(ins.args) > 1:
        dest = ins.args[-1]
        if any(h.marker.span == dest.span for h in ins.heredocs):
            return Hit(
                dest.span,
                f"{ins.name} needs a destination after its sources: a heredoc can only be a "
                "source.",
            )
    if ins.exec_form is not None:
        if len(ins.exec_form.elements) < 2:
            return Hit(
                ins.exec_form.span, f"{ins.name} needs at least one source and a destination."
            )
        return None
    if len(ins.args) == 1:
        return Hit(
            ins.args[0].span,
            f"{ins.name} needs at least one source and a destination; only "
            f"'{ins.args[0].text}' is given.",
        )
    return None


def _healthcheck_arity(ins: Instruction) -> Hit | None:
    args = ins.args
    if not args:
        return None
    kind = args[0].text.upper()
    if kind == "NONE":
        if len(args) > 1:
            extra = Span(args[1].span.start, args[-1].span.end)
            cut = Span(args[0].span.end, args[-1].span.end)
            return Hit(
                extra,
                "HEALTHCHECK NONE takes no arguments.",
                (Fix("Remove the arguments", (TextEdit(cut, ""),), safe=False),),
            )
        return None
    if kind == "CMD":
        empty = ins.exec_form is not None and not ins.exec_form.elements
        if len(args) == 1 or empty:
            return Hit(args[0].span, "HEALTHCHECK CMD needs a command to run.")
        return None
    word = same_case("CMD", ins.keyword.text)
    insert = TextEdit(Span(args[0].span.start, args[0].span.start), f"{word} ")
    return Hit(
        args[0].span,
        f"Unknown HEALTHCHECK type '{args[0].text}': write HEALTHCHECK CMD <command> or "
        "HEALTHCHECK NONE.",
        (Fix(f"Insert {word} before the command", (insert,)),),
    )


def _user_arity(ins: Instruction) -> Hit | None:
    args = ins.args
    written = ins.rest.text if ins.rest is not None else ""
    if len(args) < 2 or any(c in written for c in "\\'\"`$"):
        return None  # quoted or Windows account names may hold spaces
    extra = Span(args[1].span.start, args[-1].span.end)
    return Hit(
        extra,
        f"USER takes one user[:group], but '{written}' holds spaces: no such user exists, "
        "so the next RUN and the container start fail.",
    )


def _volume_arity(ins: Instruction) -> Hit | None:
    form = ins.exec_form
    if form is None:
        return None
    if not form.elements:
        return Hit(form.span, "VOLUME needs at least one path.")
    for element in form.elements:
        if not element.text.strip():
            return Hit(element.span, "A VOLUME path can not be empty.")
    return None


_ARITY: dict[str, Callable[[Instruction], Hit | None]] = {
    "COPY": _copy_arity,
    "ADD": _copy_arity,
    "HEALTHCHECK": _healthcheck_arity,
    "USER": _user_arity,
    "VOLUME": _volume_arity,
}


def all_instructions(ctx: RuleContext) -> Iterator[Instruction]:
    """Every instruction (of the stages checked), each ONBUILD trigger right after its
    ONBUILD."""
    for ins in ctx.checked():
        yield ins
        if ins.trigger is not None:
            yield ins.trigger


@rule(
    "DKL502",
    "wrong-argument-count",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="An instruction has too few or too many arguments for its form.",
    docs=RuleDocs(
        what="COPY or ADD with a single argument, HEALTHCHECK NONE with arguments, "
        "HEALTHCHECK CMD without a command, HEALTHCHECK with a type other than CMD or NONE, "
        "USER with several words, and an empty `VOLUME []` or empty VOLUME path.",
        why="The builder rejects each of these ('COPY requires at least two arguments', "
        "'HEALTHCHECK NONE takes no arguments', 'Unknown type in HEALTHCHECK (try CMD)', "
        "'VOLUME specified can not be an empty string'). A USER with spaces parses, but no "
        "such account exists, so the next RUN and `docker run` fail.",
        example="COPY app.py\nHEALTHCHECK curl -f http://localhost/ || exit 1",
        instead="COPY app.py /app/\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1",
        fix_safety="HEALTHCHECK with a command but no type gets CMD inserted (the only "
        "reading that builds). Removing the arguments of HEALTHCHECK NONE is offered but not "
        "preferred. No fix for the others: the missing destination is not known.",
        references=(REF + "#copy", REF + "#healthcheck", REF + "#user", REF + "#volume"),
    ),
)
def wrong_argument_count(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        for k, ins in enumerate(stage.instructions):
            hit = _arity_problem(ins)
            if hit is not None and (ins.name != "USER" or _run_follows(stage, k)):
                yield hit


def _arity_problem(ins: Instruction) -> Hit | None:
    check = _ARITY.get(ins.name)
    return check(ins) if check is not None and ins.rest is not None else None


def _run_follows(stage: Stage, k: int) -> bool:
    """Whether a RUN comes after instruction ``k`` of ``stage`` (and before another USER)."""
    for ins in stage.instructions[k + 1 :]:
        if ins.name in ("RUN", "USER"):
            return ins.name == "RUN"
    return False


# --------------------------------------------------------------------------- DKL503


def _ref_hit(ins: Instruction | None, token: Token, text: str, what: str) -> Hit | None:
    """A hit for an invalid reference written literally as ``token``."""
    problem = reference_problem(text)
    if problem is None:
        return None
    span = piece(ins, token, problem.start, problem.end) if token.text == text else token.span
    fixes: tuple[Fix, ...] = ()
    if problem.fix is not None and token.text == text:
        fixes = (Fix(f"Use '{problem.fix}'", (TextEdit(span, problem.fix),)),)
    return Hit(span, f"Invalid image reference '{text}' in {what}: {problem.message}.", fixes)


@rule(
    "DKL503",
    "invalid-image-reference",
    Category.CORRECTNESS,
    Severity.ERROR,
    summary="An image reference does not follow Docker's reference grammar.",
    docs=RuleDocs(
        what="A literal image reference in FROM, `COPY --from` or `RUN --mount=from=` that "
        "Docker can not parse: uppercase letters in the repository, characters outside "
        "`[a-z0-9._-]`, an empty or invalid tag, a malformed or unsupported digest, a bad "
        "registry host, or a `--from` with a variable (the builder does not expand it there). "
        "A FROM image or platform made only of names no global ARG declares is always "
        "empty there, so it is judged too; other FROM references with variables are left to "
        "DKL533. A FROM that "
        "names a stage with different casing (`FROM Builder` after `AS builder`) is one "
        "too: FROM matches stage names exactly, so it is read as an image.",
        why="The build fails at once with 'invalid reference format'.",
        example="FROM Node:20-alpine\nCOPY --from=golang: /usr/local/go /go",
        instead="FROM node:20-alpine\nCOPY --from=golang:1.22 /usr/local/go /go",
        fix_safety="An uppercase repository name is lowercased (the only spelling that "
        "parses); other problems get no fix.",
        references=(REF + "#from", _REFERENCE_GRAMMAR),
    ),
)
def invalid_image_reference(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    refs: list[Hit] = []  # reported after the FROMs
    for stage, (at_from, in_flags) in zip(
        doc.stages, ctx.kept_each(_image_references), strict=True
    ):
        refs += [hit for text, hit in in_flags if doc.stage_named(text) is None]
        if at_from is None:
            continue
        name, hit = at_from
        stage_like = earlier_stage(doc, name, stage.index)
        if stage_like is not None and name == name.lower():
            continue  # FROM an earlier stage
        if hit is not None and stage_like is not None and stage_like.name is not None:
            hit = Hit(
                hit.span,
                f"FROM '{name}' does not name stage '{stage_like.name.text}': FROM matches "
                "stage names exactly (lowercase), so it is read as an image name, which must "
                "be lowercase.",
                hit.fixes,
                (Related(stage_like.name.span, "the stage"),),
            )
        if hit is not None:
            yield hit
    yield from refs
    declared = global_scope(doc)
    for stage in ctx.stages:
        yield from _undeclared_only(stage, declared, doc.escape)


def _undeclared_only(stage: Stage, declared: Env, escape: str) -> Iterator[Hit]:
    """A FROM image or platform made only of names no ARG before the first FROM declares:
    they are always empty (``--build-arg`` can not set them), so the value is known, and
    BuildKit rejects it when it is no valid reference or an empty platform."""
    ins = stage.from_
    words = [("FROM", ins.args[0])] if ins.args else []
    words += [("FROM --platform", f.value) for f in ins.flags_named("platform") if f.value]
    for what, token in words:
        processed = process_word(token.text, {}, escape)
        uses = [u.name for u in processed.uses]
        value = processed.value
        if not uses or value is None or processed.error is not None:
            continue
        if any(name in declared or not IDENTIFIER.fullmatch(name) for name in uses):
            continue  # DKL533 judges what the defaults give
        if what == "FROM":
            problem = reference_problem(value)
            reason = problem.message if problem is not None else None
        else:
            reason = "the platform is empty" if not value.strip() else None
        if reason is not None:
            names = ", ".join(f"${n}" for n in dict.fromkeys(uses))
            yield Hit(
                token.span,
                f"{what} {token.text} is always '{value}' ({names}: no ARG before the first "
                f"FROM declares it, and --build-arg can not set it): {reason}.",
            )


def _image_references(
    ctx: RuleContext, stage: Stage
) -> tuple[tuple[str, Hit | None] | None, list[tuple[str, Hit]]]:
    """The literal reference of the stage's FROM with its problem, if any, and the
    literal ``--from`` values that have one (unless they name a stage)."""
    at_from: tuple[str, Hit | None] | None = None
    ins = stage.from_
    if ins.args and "$" not in ins.args[0].text:  # with variables: DKL533
        token = ins.args[0]
        name = process_word(token.text, {}, ctx.document.escape).value
        if name is not None:
            at_from = (name, _ref_hit(ins, token, name, "FROM"))
    in_flags: list[tuple[str, Hit]] = []
    for ref in _stage_refs_of(stage):
        if "$" in ref.text:
            if ref.what == "COPY --from":  # a mount's from= with a variable: DKL505
                message = (
                    f"{ref.what}={ref.text}: the builder does not expand variables here; name "
                    "the image in a stage (a global ARG, then FROM ${ARG} AS name) and use that "
                    "name."
                )
                in_flags.append((ref.text, Hit(ref.span, message)))
            continue
        if ref.text.isdigit():
            continue
        hit = _ref_hit(ref.instruction, Token(ref.text, ref.span), ref.text, ref.what)
        if hit is not None:
            in_flags.append((ref.text, hit))
    return at_from, in_flags


# --------------------------------------------------------------------------- DKL504

FlagKind = Literal["string", "bool", "multi"]

FLAGS: dict[str, dict[str, FlagKind]] = {
    "ADD": {
        "chown": "string",
        "chmod": "string",
        "link": "bool",
        "keep-git-dir": "bool",
        "checksum": "string",
        "exclude": "multi",
        "unpack": "bool",
    },
    "COPY": {
        "from": "string",
        "chown": "string",
        "chmod": "string",
        "link": "bool",
        "parents": "bool",
        "exclude": "multi",
    },
    "FROM": {"platform": "string"},
    "RUN": {"mount": "multi", "network": "string", "security": "string", "device": "multi"},
    "HEALTHCHECK": {
        "interval": "string",
        "timeout": "string",
        "start-period": "string",
        "start-interval": "string",
        "retries": "string",
    },
}


def _flags_checked(ins: Instruction) -> bool:
    """Whether the builder validates this instruction's flags at all."""
    if ins.name == "STOPSIGNAL":
        return False  # BuildKit never parses STOPSIGNAL's flags
    return not (ins.name == "HEALTHCHECK" and ins.args and ins.args[0].text.upper() == "NONE")


def _flag_problems(ins: Instruction) -> Iterator[Hit]:
    allowed = FLAGS.get(ins.name, {})
    seen: dict[str, Flag] = {}
    for flag in ins.flags:
        name = flag.name.text
        kind = allowed.get(name)
        if kind is None:
            yield _unknown_flag(ins, flag, allowed)
            continue
        first = seen.get(name)
        if first is not None and kind != "multi":
            yield Hit(
                flag.span,
                f"--{name} is given twice; {ins.name} takes it once.",
                related=(Related(first.span, "first given here"),),
            )
        seen.setdefault(name, flag)
        value = flag.value
        if kind == "bool":
            if value is not None and not value.text:
                yield Hit(flag.span, f"--{name}= needs a value: write --{name} or --{name}=false.")
            elif (
                value is not None
                and value.text.lower() not in ("true", "false")
                and "$" not in value.text
            ):
                yield Hit(value.span, f"--{name} expects true or false, not '{value.text}'.")
        elif value is None:
            yield Hit(flag.span, f"--{name} needs a value: --{name}=<value>.")


def _unknown_flag(ins: Instruction, flag: Flag, allowed: Mapping[str, FlagKind]) -> Hit:
    name = flag.name.text
    if not allowed:
        return Hit(flag.span, f"{ins.name} takes no flags; --{name} is not one.")
    listing = ", ".join(f"--{k}" for k in allowed)
    fixes: tuple[Fix, ...] = ()
    if name.lower() in allowed:
        fixes = (Fix(f"Use --{name.lower()}", (TextEdit(flag.name.span, name.lower()),)),)
        message = f"Flag names are case-sensitive: --{name} is not --{name.lower()}."
    else:
        options = suggest(name, tuple(allowed))
        hint = did_you_mean([f"--{o}" for o in options])
        message = f"Unknown flag --{name} for {ins.name}{hint}; it accepts {listing}."
        fixes = tuple(
            Fix(f"Use --{o}", (TextEdit(flag.name.span, o),), safe=False) for o in options
        )
    return Hit(flag.name.span, message, fixes)


@rule(
    "DKL504",
    "invalid-flag",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="An instruction flag is unknown, repeated, or lacks its value.",
    docs=RuleDocs(
        what="A flag the instruction does not have (the sets of current BuildKit: ADD "
        "--chown --chmod --link --keep-git-dir --checksum --exclude --unpack; COPY --from "
        "--chown --chmod --link --parents --exclude; FROM --platform; RUN --mount --network "
        "--security --device; HEALTHCHECK --interval --timeout --start-period "
        "--start-interval --retries; none elsewhere), a flag given twice (only --mount, "
        "--exclude and --device may repeat), a string flag without `=value`, or a boolean "
        "flag with a value other than true or false. Flag names are case-sensitive. ONBUILD "
        "triggers are checked too: they fail in every image built FROM this one.",
        why="The builder stops with 'Unknown flag', 'Duplicate flag specified', 'Missing a "
        "value on flag' or 'expecting boolean value'. The Node language server does not "
        "check RUN flags at all.",
        example="COPY --form=build /app /app\nRUN --mount=type=cache,target=/root/.npm --mount "
        "npm ci",
        instead="COPY --from=build /app /app",
        fix_safety="A flag written in the wrong case is lowercased. A misspelled flag gets "
        "the closest valid names as fixes that are offered but not preferred.",
        references=(REF + "#copy", REF + "#add", REF + "#run", REF + "#healthcheck"),
    ),
)
def invalid_flag(ctx: RuleContext) -> Iterator[Hit]:
    for ins in ctx.checked():
        if ins.flags and _flags_checked(ins):
            yield from _flag_problems(ins)


# --------------------------------------------------------------------------- DKL505

_DURATION_UNITS = ("ns", "us", "µs", "μs", "ms", "s", "m", "h")
_DURATION_PART = re.compile(r"(\d*)(\.\d*)?([^\d.]*)")
_NANOS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
}


def duration_problem(text: str) -> str | None:
    """Why Go's ``time.ParseDuration`` (and BuildKit's 1 ms minimum) rejects ``text``."""
    body = text.lstrip("+-")
    negative = text.startswith("-")
    if body == "0":
        return None
    if not body:
        return f"'{text}' is not a duration (use e.g. 30s, 1m30s)"
    total = 0.0
    i = 0
    while i < len(body):
        match = _DURATION_PART.match(body, i)
        if match is None or match.end() == i:
            return f"'{text}' is not a duration (use e.g. 30s, 1m30s)"
        whole, frac, unit = match.groups()
        if not whole and (not frac or frac == "."):
            return f"'{text}' is not a duration (use e.g. 30s, 1m30s)"
        if not unit:
            return f"'{text}' has no unit (ns, us, ms, s, m or h)"
        if unit not in _DURATION_UNITS:
            return f"'{text}' has the unknown unit '{unit}' (use ns, us, ms, s, m or h)"
        total += float((whole or "0") + (frac if frac and frac != "." else "")) * _NANOS[unit]
        i = match.end()
    if total != 0 and (negative or total < 1_000_000):
        return f"'{text}' is less than the minimum of 1ms"
    return None


_OCTAL = re.compile(r"[0-7]+")
_SYMBOLIC = re.compile(
    r"(?:[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+)(?:,[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+)*"
)
_PLATFORM_PART = re.compile(r"[A-Za-z0-9_.()-]+")
_NETWORKS = ("default", "none", "host")
_SECURITY = ("sandbox", "insecure")
_MOUNT_TYPES = ("bind", "cache", "tmpfs", "secret", "ssh")
_SHARING = ("shared", "private", "locked")
_MOUNT_KEYS = frozenset(
    {
        "type", "from", "source", "src", "target", "dst", "destination", "readonly", "ro",
        "readwrite", "rw", "required", "size", "id", "sharing", "mode", "uid", "gid", "env",
    }
)  # fmt: skip
_BARE_MOUNT_KEYS = frozenset({"readonly", "ro", "readwrite", "rw", "required"})
_GO_BOOLS = frozenset(
    {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}
)
_SIZE = re.compile(r"\d+(?:\.\d+)* ?[kKmMgGtTpP]?[iI]?[bB]?")


def _value_hit(value: Token, message: str, start: int = 0, end: int | None = None) -> Hit:
    return Hit(piece(None, value, start, len(value.text) if end is None else end), message)


def _mount_problems(flag: Flag) -> Iterator[Hit]:
    value = flag.value
    if value is None or not value.text:
        return
    fields = mount_fields(value.text)
    if fields is None:
        yield _value_hit(value, "--mount is not valid comma-separated text (check the quotes).")
        return
    options: dict[str, tuple[str, int, int]] = {}
    cursor = 0
    for field in fields:
        at = value.text.find(field, cursor)
        start = at if at >= 0 else 0
        cursor = start + len(field)
        key, eq, val = field.partition("=")
        options[key.strip().lower()] = (val if eq else "\0", start, start + len(field))
    kind = options.get("type", ("bind", 0, 0))[0].lower()
    for key, (val, start, end) in options.items():
        if "$" in val and key != "from":
            continue  # expanded at build time
        problem = _mount_field_problem(key, val, kind)
        if problem is not None:
            yield _value_hit(value, problem, start, end)
    names = ("source", "src", "target", "dst", "destination", "id", "env")
    if kind == "secret" and not any(k in options for k in names):
        yield _value_hit(value, "A secret mount needs an id (or a source, target or env).")


def _mount_field_problem(key: str, value: str, kind: str) -> str | None:
    bare = value == "\0"
    if key not in _MOUNT_KEYS:
        return f"Unknown --mount option '{key}'{did_you_mean(suggest(key, tuple(_MOUNT_KEYS)))}."
    if bare:
        if key not in _BARE_MOUNT_KEYS:
            return f"The --mount option '{key}' needs a value ({key}=…)."
        value = "true"
    if key == "type" and value.lower() not in _MOUNT_TYPES:
        hint = did_you_mean(suggest(value, _MOUNT_TYPES))
        return f"Unknown mount type '{value}'{hint}: use bind, cache, tmpfs, secret or ssh."
    if key == "from" and "$" in value:
        return (
            "The mount option from= does not expand variables: define a stage "
            "(FROM $IMAGE AS name) and use its name."
        )
    if key in ("readonly", "ro", "readwrite", "rw", "required") and value not in _GO_BOOLS:
        return f"The --mount option '{key}' expects true or false, not '{value}'."
    restricted = {
        "required": ("secret", "ssh"),
        "size": ("tmpfs",),
        "sharing": ("cache",),
        "mode": ("secret", "ssh", "cache"),
        "uid": ("secret", "ssh", "cache"),
        "gid": ("secret", "ssh", "cache"),
    }.get(key)
    if restricted is not None and kind in _MOUNT_TYPES and kind not in restricted:
        allowed = ", ".join(restricted)
        return f"The --mount option '{key}' is only for {allowed} mounts, not type={kind}."
    if kind == "secret" and key in ("from", "sharing"):
        return f"A secret mount can not have '{key}'."
    checks: dict[str, tuple[Callable[[str], bool], str]] = {
        "sharing": (lambda v: v.lower() in _SHARING, "use shared, private or locked"),
        "mode": (lambda v: bool(_OCTAL.fullmatch(v)), "use an octal mode such as 0644"),
        "uid": (str.isdigit, "use a number"),
        "gid": (str.isdigit, "use a number"),
        "size": (lambda v: bool(_SIZE.fullmatch(v)), "use a size such as 64m"),
    }
    check = checks.get(key)
    if check is not None and not check[0](value):
        return f"Invalid value '{value}' for --mount {key}: {check[1]}."
    return None


def _checksum_problem(value: str) -> str | None:
    if ":" not in value:
        if re.fullmatch(r"[0-9a-f]{7,64}", value):
            return None  # a commit for a Git source
        return f"--checksum '{value}' is not a digest (sha256:<64 hex digits>)"
    return digest_problem(value)


def _platform_problem(value: str) -> str | None:
    parts = value.split("/")
    if len(parts) > 3 or not all(_PLATFORM_PART.fullmatch(p) for p in parts):
        return f"'{value}' is not a platform (os[/arch[/variant]], e.g. linux/amd64)"
    return None


def _flag_value_problems(ins: Instruction) -> Iterator[Hit]:
    for flag in ins.flags:
        name = flag.name.text
        if name == "mount" and ins.name == "RUN":
            yield from _mount_problems(flag)
            continue
        value = flag.value
        # HEALTHCHECK's flags are read as written: BuildKit expands no variable there.
        if value is None or not value.text or ("$" in value.text and ins.name != "HEALTHCHECK"):
            continue
        text = value.text
        problem: str | None = None
        if ins.name == "HEALTHCHECK" and name in (
            "interval",
            "timeout",
            "start-period",
            "start-interval",
        ):
            problem = duration_problem(text)
            if problem is not None:
                problem = f"--{name}: {problem}."
        elif ins.name == "HEALTHCHECK" and name == "retries":
            if not re.fullmatch(r"[+-]?\d+", text):
                problem = f"--retries must be a whole number, not '{text}'."
            elif int(text) < 0:
                problem = f"--retries can not be negative ({text})."
            elif int(text) >= 2**31:
                problem = f"--retries {text} is out of range."
        elif ins.name in ("COPY", "ADD") and name == "chmod":
            if not _OCTAL.fullmatch(text) and not _SYMBOLIC.fullmatch(text):
                problem = (
                    f"--chmod '{text}' is neither an octal mode (0755) nor a symbolic one (u+x)."
                )
            elif _OCTAL.fullmatch(text) and int(text, 8) >= 2**32:
                problem = f"--chmod '{text}' is out of range."
        elif ins.name == "ADD" and name == "checksum":
            problem = _checksum_problem(text)
            if problem is not None:
                problem += "."
        elif ins.name == "RUN" and name == "network" and text not in _NETWORKS:
            hint = did_you_mean(suggest(text, _NETWORKS))
            problem = f"Unknown network mode '{text}'{hint}: use default, none or host."
        elif ins.name == "RUN" and name == "security" and text not in _SECURITY:
            hint = did_you_mean(suggest(text, _SECURITY))
            problem = f"Unknown security mode '{text}'{hint}: use sandbox or insecure."
        elif ins.name == "FROM" and name == "platform":
            problem = _platform_problem(text)
            if problem is not None:
                problem += "."
        if problem is not None:
            yield Hit(value.span, problem)


@rule(
    "DKL505",
    "invalid-flag-value",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="A flag has a value the builder rejects.",
    docs=RuleDocs(
        what="HEALTHCHECK durations that are not Go durations (`30s`, `1m30s`, `0`) or are "
        "below 1ms, `--retries` that is not a non-negative whole number, a `--chmod` that is "
        "neither octal nor symbolic (`u+x`), an ADD `--checksum` that is not a supported "
        "digest, `--network` other than default/none/host, `--security` other than "
        "sandbox/insecure, a `FROM --platform` that is not os[/arch[/variant]], and `RUN "
        "--mount` specs with an unknown type or option, options the mount type does not "
        "take (size only for tmpfs, sharing only for cache, mode/uid/gid not for bind and "
        "tmpfs), a secret mount without an id, or a variable in `from=`. Values holding "
        "variables are left alone (they are expanded at build time).",
        why="The build stops on each of them ('time: missing unit in duration', 'unsupported "
        "mount type', 'unexpected key', 'invalid value for mode'…). `--retries=0` is valid: "
        "it means the default. RUN flags are not checked by the Node language server.",
        example="HEALTHCHECK --interval=30 CMD curl -f http://localhost/\n"
        "RUN --mount=type=cache,target=/root/.cache,size=1g pip install -r requirements.txt",
        instead="HEALTHCHECK --interval=30s CMD curl -f http://localhost/\n"
        "RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt",
        fix_safety="No automatic fix: the intended value is not known.",
        references=(
            REF + "#healthcheck",
            REF + "#run---mount",
            REF + "#run---network",
            REF + "#copy---chmod",
            REF + "#add---checksum",
            "https://pkg.go.dev/time#ParseDuration",
        ),
    ),
)
def invalid_flag_value(ctx: RuleContext) -> Iterator[Hit]:
    for ins in ctx.checked():
        if ins.flags and _flags_checked(ins):
            yield from _flag_value_problems(ins)


# --------------------------------------------------------------------------- DKL506


@rule(
    "DKL506",
    "invalid-stage-reference",
    Category.CORRECTNESS,
    Severity.ERROR,
    summary="`--from` names a stage index that does not exist, or the stage itself.",
    docs=RuleDocs(
        what="`COPY --from=<n>` or `RUN --mount=from=<n>` with a stage index that is "
        "negative or beyond the last stage, and a `--from` that names the stage it is in "
        "(by name or index).",
        why="The builder stops with 'invalid stage index' or 'circular dependency detected "
        "on stage'.",
        example="FROM golang:1.22 AS build\nRUN go build -o /app\n"
        "COPY --from=build /app /usr/local/bin/",
        instead="FROM golang:1.22 AS build\nRUN go build -o /app\nFROM gcr.io/distroless/static\n"
        "COPY --from=build /app /usr/local/bin/",
        fix_safety="No automatic fix.",
        references=(REF + "#copy---from", REF + "#run---mount"),
    ),
    hadolint=("DL3023",),
)
def invalid_stage_reference(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    count = len(doc.stages)
    for ref in all_stage_refs(ctx):
        text = ref.text
        if re.fullmatch(r"-?\d+", text):
            index = int(text)
            if index < 0 or index >= count:
                yield Hit(
                    ref.span,
                    f"{ref.what}={text}: there is no stage {text} (stages are numbered 0 "
                    f"to {count - 1}).",
                )
                continue
            target: Stage | None = doc.stages[index]
        else:
            target = doc.stage_named(text)
        if target is ref.stage:
            yield Hit(
                ref.span,
                f"{ref.what}={text} refers to the stage it is in: a stage can not copy "
                "from itself.",
                related=(Related(ref.stage.from_.span, "the stage starts here"),),
            )
        elif target is not None and target.index > ref.stage.index:
            yield Hit(
                ref.span,
                f"{ref.what}={text} refers to a stage defined later: BuildKit only takes "
                "files from the stages above.",
                related=(Related(target.from_.span, "the stage starts here"),),
            )


# --------------------------------------------------------------------------- DKL507


@rule(
    "DKL507",
    "unresolved-stage-reference",
    Category.CORRECTNESS,
    Severity.WARNING,
    summary="A stage reference points at a later stage, or at no stage but resembles one.",
    docs=RuleDocs(
        what="A FROM that names a stage defined further down, or a FROM, `COPY --from` or "
        "`RUN --mount=from=` bare name (no registry, tag or path) that is no stage but is "
        "close to one. A tag- or registry-looking value is an image and is not flagged.",
        why="A name that is not an earlier stage is pulled from Docker Hub as an image: a "
        "typo of a stage name fails with 'pull access denied', or silently copies from an "
        "unrelated public image. FROM only sees earlier stages. (A `--from` naming a later "
        "stage is a build error: DKL506.)",
        example="FROM node:20 AS builder\nRUN npm ci && npm run build\n"
        "FROM nginx:1.27\nCOPY --from=buidler /app/dist /usr/share/nginx/html",
        instead="COPY --from=builder /app/dist /usr/share/nginx/html",
        fix_safety="A typo with a single closest stage name is replaced with it; with several "
        "candidates each is offered, none preferred.",
        references=(REF + "#copy---from", "https://docs.docker.com/build/building/multi-stage/"),
    ),
    hadolint=("DL3022",),
)
def unresolved_stage_reference(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    for stage in doc.stages:
        token = stage.from_.args[0] if stage.from_.args else None
        if token is not None and looks_like_stage_name(token.text):
            hit = _stage_typo(doc, token.text, token.span, stage, what="FROM", forward_ok=False)
            if hit is not None:
                yield hit
    for ref in all_stage_refs(ctx):
        if looks_like_stage_name(ref.text):
            hit = _stage_typo(doc, ref.text, ref.span, ref.stage, what=ref.what, forward_ok=True)
            if hit is not None:
                yield hit


def _stage_typo(
    doc: Dockerfile, text: str, span: Span, stage: Stage, *, what: str, forward_ok: bool
) -> Hit | None:
    lowered = text.lower()
    if earlier_stage(doc, text, stage.index) is not None or reference_problem(text) is not None:
        return None  # a stage, or an invalid reference (DKL503)
    later = next((s for s in doc.stages[stage.index :] if s.name_lower == lowered), None)
    if later is not None and later.name is not None:
        if forward_ok:
            return None  # a --from a later stage (or its own): DKL506
        return Hit(
            span,
            f"{what} '{text}' refers to stage '{later.name.text}', defined later: FROM only "
            f"sees earlier stages, so '{text}' is pulled as an image instead.",
            related=(Related(later.name.span, "the stage is defined here"),),
        )
    names = {s.name.text for s in doc.stages[: stage.index] if s.name is not None}
    options = suggest(text, names)
    if not options:
        return None
    fixes = tuple(
        Fix(f"Use stage '{o}'", (TextEdit(span, o),), safe=len(options) == 1) for o in options
    )
    return Hit(
        span,
        f"{what} '{text}' is not a stage{did_you_mean(options)}; as written it is pulled as the "
        f"image docker.io/library/{text}.",
        fixes,
    )


# --------------------------------------------------------------------------- DKL508


@dataclass(frozen=True, slots=True)
class PortSpec:
    """One EXPOSE word split like BuildKit does: [ip:][host:]container[/proto]."""

    ip: str
    host: str
    container: str
    container_start: int
    proto: str | None
    proto_start: int


def split_port(text: str) -> PortSpec:
    parts = text.split(":")
    if len(parts) == 1:
        ip, host = "", ""
    elif len(parts) == 2:
        ip, host = "", parts[0]
    else:
        ip, host = ":".join(parts[:-2]), parts[-2]
    last = parts[-1]
    start = len(text) - len(last)
    container, slash, proto = last.partition("/")
    return PortSpec(
        ip, host, container, start, proto if slash else None, start + len(container) + 1
    )


def _port_range_problem(text: str) -> str | None:
    if not text:
        return "no port is given"
    start, dash, end = text.partition("-")
    for part in (start, end) if dash and start != end else (start,):
        if not re.fullmatch(r"[+-]?\d+", part):
            return f"'{part}' is not a port number"
        if not 0 <= int(part) <= 65535:
            return f"port {part} is out of range (0-65535)"
    if dash and start != end and int(end) < int(start):
        return f"the range {text} ends before it starts"
    return None


def _ip_problem(ip: str) -> str | None:
    import ipaddress

    raw = ip[1:-1] if ip.startswith("[") and ip.endswith("]") else ip
    try:
        ipaddress.ip_address(raw)
    except ValueError:
        return f"'{ip}' is not an IP address"
    return None


def expose_problem(text: str) -> tuple[int, int, str] | None:
    """Why BuildKit rejects an EXPOSE word, by offsets into it, or None."""
    spec = split_port(text)
    if spec.proto is not None and spec.proto.lower() not in ("tcp", "udp", "sctp"):
        return (
            spec.proto_start,
            len(text),
            f"unknown protocol '{spec.proto}' (use tcp, udp or sctp)",
        )
    problem = _port_range_problem(spec.container)
    if problem is not None:
        return spec.container_start, spec.container_start + len(spec.container), problem
    if spec.ip:
        problem = _ip_problem(spec.ip)
        if problem is not None:
            return 0, len(spec.ip), problem
    if spec.host:
        host_start = len(spec.ip) + 1 if spec.ip else 0
        problem = _port_range_problem(spec.host)
        if problem is not None:
            return host_start, host_start + len(spec.host), f"host part: {problem}"
    return None


def expose_words(ctx: RuleContext) -> Iterator[tuple[Instruction, Token, str]]:
    """Each EXPOSE word with its value after substitution (words with unknown values skipped)."""
    escape = ctx.document.escape
    for stage in ctx.stages:
        for ins, env in scopes(ctx, stage):
            if ins.name != "EXPOSE":
                continue
            for token in ins.args:
                processed = process_word(token.text, env, escape, unset_unknown=True)
                if processed.value is not None and processed.error is None:
                    for word in processed.value.split():
                        yield ins, token, word


@rule(
    "DKL508",
    "invalid-expose-port",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="EXPOSE names an invalid port, port range or protocol.",
    docs=RuleDocs(
        what="An EXPOSE word whose port is not a number from 0 to 65535, a range that ends "
        "before it starts, a protocol other than tcp, udp or sctp, or an invalid IP or host "
        "port in a mapping. Variables are expanded with their defaults first.",
        why="The builder rejects the instruction ('invalid containerPort', 'invalid proto').",
        example="EXPOSE 80/xyz 99999 9000-8000",
        instead="EXPOSE 80/tcp 8080 8000-9000",
        fix_safety="No automatic fix.",
        references=(REF + "#expose",),
    ),
    hadolint=("DL3011",),
)
def invalid_expose_port(ctx: RuleContext) -> Iterator[Hit]:
    for ins, token, word in expose_words(ctx):
        problem = expose_problem(word)
        if problem is None:
            continue
        start, end, message = problem
        span = piece(ins, token, start, end) if token.text == word else token.span
        yield Hit(span, f"Invalid EXPOSE '{word}': {message}.")


# --------------------------------------------------------------------------- DKL509

_SIGNAL_NAMES = (
    "ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV STKFLT "
    "STOP SYS TERM TRAP TSTP TTIN TTOU URG USR1 USR2 VTALRM WINCH XCPU XFSZ RTMIN RTMAX UNUSED"
)
SIGNALS = frozenset(
    [*_SIGNAL_NAMES.split(" ")]
    + [f"RTMIN+{i}" for i in range(1, 16)]
    + [f"RTMAX-{i}" for i in range(1, 15)]
)


def signal_problem(value: str) -> str | None:
    if re.fullmatch(r"[+-]?\d+", value):
        return None if int(value) != 0 else "signal 0 is not a signal"
    name = value.upper()
    name = name[3:] if name.startswith("SIG") else name
    if name in SIGNALS:
        return None
    close = suggest(name, tuple(SIGNALS))
    return f"'{value}' is not a signal{did_you_mean([f'SIG{c}' for c in close])}"


@rule(
    "DKL509",
    "invalid-stop-signal",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="STOPSIGNAL names no signal.",
    docs=RuleDocs(
        what="A STOPSIGNAL value that is neither a signal number nor a signal name "
        "(`SIGTERM`, `TERM`, `SIGRTMIN+3`, case-insensitive), after variables are expanded "
        "with their defaults. The whole rest of the line is the value: `STOPSIGNAL SIGTERM "
        "now` is invalid.",
        why="The build fails with 'Invalid signal'.",
        example="STOPSIGNAL SIGTERMINATE",
        instead="STOPSIGNAL SIGTERM",
        fix_safety="No automatic fix.",
        references=(REF + "#stopsignal", "https://man7.org/linux/man-pages/man7/signal.7.html"),
    ),
)
def invalid_stop_signal(ctx: RuleContext) -> Iterator[Hit]:
    escape = ctx.document.escape
    for stage in ctx.stages:
        for ins, env in scopes(ctx, stage):
            if ins.name != "STOPSIGNAL" or ins.rest is None:
                continue
            processed = process_word(ins.rest.text, env, escape, unset_unknown=True)
            if processed.value is None or processed.error is not None:
                continue
            problem = signal_problem(processed.value)
            if problem is not None:
                yield Hit(ins.rest.span, f"Invalid STOPSIGNAL: {problem}.")


# --------------------------------------------------------------------------- DKL510


@rule(
    "DKL510",
    "shell-not-json",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="SHELL is not written as a JSON array, or the array is empty.",
    docs=RuleDocs(
        what="`SHELL /bin/bash -c` (plain words) and `SHELL []`. A SHELL that starts with "
        "`[` but is not valid JSON is reported by DKL004.",
        why="SHELL only has an exec form: the builder stops with 'SHELL requires the "
        "arguments to be in JSON form' or 'SHELL requires at least one argument'.",
        example="SHELL /bin/bash -o pipefail -c",
        instead='SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
        fix_safety="Plain words without quotes or escapes are rewritten as a JSON array of "
        "the same words, which is what was meant.",
        references=(REF + "#shell",),
    ),
)
def shell_not_json(ctx: RuleContext) -> Iterator[Hit]:
    for ins in ctx.checked():
        hit = _shell_problem(ins)
        if hit is not None:
            yield hit


def _shell_problem(ins: Instruction) -> Hit | None:
    import json

    if ins.name != "SHELL" or ins.rest is None:
        return None
    if ins.exec_form is not None:
        if not ins.exec_form.elements:
            return Hit(ins.exec_form.span, "SHELL needs at least one word: the shell program.")
        return None
    if ins.rest.text.lstrip().startswith("["):
        # Malformed JSON (DKL004 says where): other instructions fall back to the
        # shell form, SHELL has none, so BuildKit stops.
        return Hit(ins.rest.span, "SHELL must be a valid JSON array of strings; this one is not.")
    words = [a.text for a in ins.args]
    fixes: tuple[Fix, ...] = ()
    if not any(c in ins.rest.text for c in "\"'\\`$"):
        array = "[" + ", ".join(json.dumps(w, ensure_ascii=False) for w in words) + "]"
        fixes = (Fix("Write it as a JSON array", (TextEdit(ins.rest.span, array),)),)
    return Hit(
        ins.rest.span, 'SHELL must be a JSON array of strings, e.g. ["/bin/sh", "-c"].', fixes
    )


# --------------------------------------------------------------------------- DKL511


@rule(
    "DKL511",
    "invalid-onbuild-trigger",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="ONBUILD wraps ONBUILD, FROM or MAINTAINER.",
    docs=RuleDocs(
        what="`ONBUILD ONBUILD …`, `ONBUILD FROM …` and `ONBUILD MAINTAINER …`.",
        why="The builder refuses them ('Chaining ONBUILD via `ONBUILD ONBUILD` isn't "
        "allowed', 'FROM isn't allowed as an ONBUILD trigger').",
        example="ONBUILD FROM node:20",
        instead="ONBUILD COPY package*.json ./\nONBUILD RUN npm ci",
        fix_safety="No automatic fix.",
        references=(REF + "#onbuild",),
    ),
    hadolint=("DL3043",),
)
def invalid_onbuild_trigger(ctx: RuleContext) -> Iterator[Hit]:
    for ins in ctx.checked():
        trigger = ins.trigger
        if trigger is None:
            continue
        if trigger.name == "ONBUILD":
            yield Hit(
                trigger.keyword.span, "ONBUILD can not be chained: ONBUILD ONBUILD is not allowed."
            )
        elif trigger.name in ("FROM", "MAINTAINER"):
            yield Hit(trigger.keyword.span, f"{trigger.name} is not allowed as an ONBUILD trigger.")


# --------------------------------------------------------------------------- DKL512, DKL514

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


def _word_errors(ctx: RuleContext, kind: str) -> Iterator[Hit]:
    escape = ctx.document.escape
    for word in processed_words(ctx):
        error = process_word(word.token.text, {}, escape).error
        if error is None or error.kind != kind:
            continue
        span = piece(word.instruction, word.token, error.start, error.end)
        yield Hit(span, f"In {word.where}: {error.message}.")


@rule(
    "DKL512",
    "invalid-variable-substitution",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="A ${…} substitution uses a form the Dockerfile does not support.",
    docs=RuleDocs(
        what="`${…}` in an instruction the builder expands (FROM, ADD, COPY, ENV, LABEL, "
        "ARG, EXPOSE, USER, VOLUME, WORKDIR, STOPSIGNAL, and the --chown/--chmod/--from/"
        "--mount values) that is not one of the supported forms: `${VAR}`, `${VAR:-word}`, "
        "`${VAR-word}`, `${VAR:+word}`, `${VAR+word}`, `${VAR:?word}`, `${VAR?word}`, "
        "`${VAR#pattern}`, `${VAR##pattern}`, `${VAR%pattern}`, `${VAR%%pattern}`, "
        "`${VAR/pattern/replacement}` and `${VAR//pattern/replacement}`. Bash-only forms "
        "such as `${#VAR}`, `${VAR:0:3}`, `${VAR^^}` and `${!VAR}`, an empty `${}` and a "
        "missing `}` are flagged, also in the body of a COPY/ADD heredoc (BuildKit expands "
        "it unless the delimiter is quoted). RUN, CMD and ENTRYPOINT are left alone: the "
        "shell expands those.",
        why="The build stops with 'unsupported modifier in substitution', 'bad "
        "substitution' or 'missing }'.",
        example="ENV MAJOR=${VERSION%%.*} SHORT=${COMMIT:0:7}",
        instead='ENV MAJOR=${VERSION%%.*}\nRUN echo "${COMMIT:0:7}" > /short-commit',
        fix_safety="No automatic fix.",
        references=(REF + "#environment-replacement",),
    ),
)
def invalid_variable_substitution(ctx: RuleContext) -> Iterator[Hit]:
    yield from _word_errors(ctx, "substitution")
    escape = ctx.document.escape
    for stage in ctx.stages:
        for ins in stage.instructions:
            for heredoc in expanded_heredocs(ins):
                yield from _heredoc_substitutions(ins, heredoc, escape)


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


def _heredoc_substitutions(ins: Instruction, heredoc: Heredoc, escape: str) -> Iterator[Hit]:
    """The invalid ``${…}`` of a COPY/ADD heredoc body, which BuildKit expands."""
    for start, reference in heredoc_references(heredoc, escape):
        error = process_word(reference, {}, escape).error
        if error is not None and error.kind == "substitution":
            span = Span(heredoc.locate(start + error.start), heredoc.locate(start + error.end))
            yield Hit(span, f"In the {ins.name} heredoc {heredoc.name}: {error.message}.")


@rule(
    "DKL514",
    "unterminated-quote",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="A quote in an expanded instruction is never closed.",
    docs=RuleDocs(
        what="A single or double quote that is not closed within the value or argument the "
        "builder processes (ENV and LABEL values, ARG defaults, COPY/ADD paths, WORKDIR, "
        "USER, EXPOSE, VOLUME, STOPSIGNAL). The legacy `ENV KEY value` form counts the rest "
        "of the line as one value, so `ENV MSG don't panic` has an open quote.",
        why="The build stops with 'unexpected end of statement while looking for matching "
        "double-quote' (or single-quote).",
        example="LABEL description=\"The API server\nENV MSG don't panic",
        instead='LABEL description="The API server"\nENV MSG="don\'t panic"',
        fix_safety="No automatic fix: where the quote should end is not known.",
        references=(REF + "#env", REF + "#label"),
    ),
)
def unterminated_quote(ctx: RuleContext) -> Iterator[Hit]:
    return _word_errors(ctx, "quote")


# --------------------------------------------------------------------------- DKL513


@rule(
    "DKL513",
    "multiple-sources-to-file",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="COPY or ADD has several sources but a destination that is not a directory.",
    docs=RuleDocs(
        what="COPY or ADD with two or more sources (heredocs included) whose destination "
        "does not end with `/` (and is not `.` or `..`). A heredoc in the destination's "
        "place is left alone: it is no path that `/` could make a directory.",
        why="The classic builder rejects it ('When using COPY with more than one source "
        "file, the destination must be a directory and end with a /'); BuildKit copies, "
        "but whether the destination is a file or a directory then depends on what already "
        "exists in the image. Ending it with `/` says what is meant.",
        example="COPY package.json package-lock.json /app",
        instead="COPY package.json package-lock.json /app/",
        fix_safety="The fix appends `/`: the sources are copied into that directory, which "
        "is what several sources imply.",
        references=(REF + "#destination",),
    ),
    hadolint=("DL3021",),
)
def multiple_sources_to_file(ctx: RuleContext) -> Iterator[Hit]:
    for ins in all_instructions(ctx):
        if ins.name not in ("COPY", "ADD") or ins.exec_form is not None or len(ins.args) < 3:
            continue
        dest = ins.args[-1]
        text = dest.text
        if "$" in text or text.rstrip(".") == "" or text.endswith(("/", "\\")):
            continue
        if ctx.document.escape == "`" and text.endswith("\\"):
            continue
        if any(h.marker.span == dest.span for h in ins.heredocs):
            continue  # a heredoc is no destination at all (the build rejects it)
        end = dest.span.end
        yield Hit(
            dest.span,
            f"{ins.name} has {len(ins.args) - 1} sources, so '{text}' should be a directory: "
            "end it with /.",
            (Fix("Append /", (TextEdit(Span(end, end), "/"),)),),
        )


# --------------------------------------------------------------------------- DKL515


def _trigger_problems(trigger: Instruction) -> Iterator[Hit]:
    """What the builder rejects in an instruction, checked on an ONBUILD trigger."""
    for hit in (_arity_problem(trigger), _shell_problem(trigger)):
        if hit is not None:
            yield hit
    if trigger.flags and _flags_checked(trigger):
        yield from _flag_problems(trigger)
        yield from _flag_value_problems(trigger)


@rule(
    "DKL515",
    "fails-after-build",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="The build passes, but the image fails later: a broken ONBUILD trigger, a USER "
    "that can not exist.",
    docs=RuleDocs(
        what="An ONBUILD trigger with a problem the builder rejects (the argument count, a "
        "flag or its value, a SHELL that is no JSON array), and a USER with spaces that no "
        "RUN follows in its stage.",
        why="This build does not look at them: BuildKit stores the trigger without checking "
        "it, and a USER is only looked up when something runs. Every build FROM the image "
        "then fails on the trigger, and `docker run` fails with 'unable to find user'. "
        "(Where a RUN follows the USER, the build itself fails: DKL502.)",
        example="ONBUILD COPY package.json\nUSER app user",
        instead="ONBUILD COPY package.json /app/\nUSER app",
        fix_safety="The fixes are those of the build error the instruction would be "
        "(DKL502, DKL504, DKL510), when it has one.",
        references=(REF + "#onbuild", REF + "#user"),
    ),
)
def fails_after_build(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        for k, ins in enumerate(stage.instructions):
            if ins.trigger is not None:
                for hit in _trigger_problems(ins.trigger):
                    message = f"Every build FROM this image fails on this trigger: {hit.message}"
                    yield Hit(hit.span, message, hit.fixes, hit.related, hit.tags)
            elif ins.name == "USER" and not _run_follows(stage, k):
                user = _arity_problem(ins)
                if user is not None:
                    yield Hit(user.span, f"The build passes, but: {user.message}")


RULES: tuple[Rule, ...] = (
    malformed_from,
    wrong_argument_count,
    invalid_image_reference,
    invalid_flag,
    invalid_flag_value,
    invalid_stage_reference,
    unresolved_stage_reference,
    invalid_expose_port,
    invalid_stop_signal,
    shell_not_json,
    invalid_onbuild_trigger,
    invalid_variable_substitution,
    multiple_sources_to_file,
    unterminated_quote,
    fails_after_build,
)
