"""DKL303 volatile-argument-before-expensive-layer: An ARG that changes on every build is
declared before expensive RUNs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dockerls.findings import Fix, Related, TextEdit
from dockerls.rules.cache.layer_sequences import own_sequences, owners_of
from dockerls.rules.cache.package_indexes import FAMILIES, index_word
from dockerls.rules.cache.run_commands import SHELLS, commands_of, is_build
from dockerls.rules.cache.volatile_arguments import volatile_kind
from dockerls.rules.dependency_steps import dependency_step, shown
from dockerls.rules.doc_links import CACHE_INVALIDATION, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.programs import program, unwrap
from dockerls.rules.text_layout import line_no, newline, open_at_end, whole_lines
from dockerls.shell import Command, Word
from dockerls.syntax import Instruction, Position, Severity, Span, Token
from dockerls.syntax.variables import references, scan

_TOOL_INSTALLS = {
    "pip": frozenset({"install"}),
    "npm": frozenset({"install", "i", "ci"}),
    "yarn": frozenset({"add", "global"}),
    "pnpm": frozenset({"add"}),
    "gem": frozenset({"install"}),
    "cargo": frozenset({"install"}),
    "go": frozenset({"install", "get"}),
    "composer": frozenset({"require"}),
    "conda": frozenset({"install", "create"}),
}


def _install_word(cmd: Command) -> Word | None:
    """The word naming a package or dependency install (``install``, ``ci``, ``add``)."""
    step = dependency_step(cmd)
    if step is not None:
        return None if step.implicit else step.word
    for family in FAMILIES:
        word = index_word(cmd, family, family.installs)
        if word is not None:
            return word
    cmd = unwrap(cmd)
    sub = cmd.subcommand()
    if sub is not None and sub.text in _TOOL_INSTALLS.get(program(cmd.name), ()):
        return sub
    return None


def _install(ctx: RuleContext, ins: Instruction) -> tuple[Command, Word] | None:
    for cmd in commands_of(ctx, ins):
        word = _install_word(cmd)
        if word is not None:
            return cmd, word
    return None


def _references(ctx: RuleContext, ins: Instruction, names: set[str]) -> bool:
    """Whether ``ins`` expands one of ``names`` (in flags, arguments or heredoc bodies)."""
    escape = ctx.document.escape
    if any(ref.name in names for ref in references(ins, escape)):
        return True
    return any(r.name in names for h in ins.heredocs for r in scan(h.body.text, escape))


@dataclass(frozen=True, slots=True)
class _VolatileArg:
    index: int  # of the ARG in the sequence
    key: Token
    kind: str
    installs: tuple[tuple[int, Command, Word], ...]  # later installs that do not use it
    first_use: int | None  # the first instruction that expands it (ENV/ARG aside)
    movable: bool  # only this ARG needs to move (no ENV or ARG carries its value on)


def _volatile_args(ctx: RuleContext, sequence: Sequence[Instruction]) -> Iterator[_VolatileArg]:
    """Volatile ARGs followed by installs that do not use them.

    Builds (``go build``, ``make``) are not counted: they often read a commit id
    or a date from the environment to stamp the binary, which the Dockerfile
    cannot show.
    """
    for i, ins in enumerate(sequence):
        if ins.name != "ARG":
            continue
        for pair in ins.pairs:
            kind = volatile_kind(pair.key.text)
            if kind is None:
                continue
            names = {pair.key.text}
            movable = len(ins.pairs) == 1
            installs: list[tuple[int, Command, Word]] = []
            first_use: int | None = None
            for j in range(i + 1, len(sequence)):
                later = sequence[j]
                if _references(ctx, later, names):
                    if later.name in ("ENV", "ARG"):
                        names.update(p.key.text for p in later.pairs)
                        movable = False
                    elif first_use is None:
                        first_use = j
                    continue
                found = _install(ctx, later)
                if found is not None:
                    installs.append((j, *found))
            if installs:
                yield _VolatileArg(i, pair.key, kind, tuple(installs), first_use, movable)


def _may_read_environment(ctx: RuleContext, ins: Instruction) -> bool:
    """A RUN that builds or runs a script, which may read a variable it does not name."""
    return any(
        is_build(cmd) or cmd.name in SHELLS or cmd.name.endswith(".sh")
        for cmd in commands_of(ctx, ins)
    )


def _move_fix(ctx: RuleContext, found: _VolatileArg, sequence: Sequence[Instruction]) -> Fix | None:
    """Move the ARG to just before its first use, or below the last install that skips it.

    Only for an ARG of the stage itself (not an ONBUILD trigger) that declares
    nothing else, whose value no ENV or ARG passes on, and when no RUN it would
    move past builds or runs a script.
    """
    arg = sequence[found.index]
    owners = owners_of(ctx)
    last = found.installs[-1][0]
    if not found.movable or owners.get(id(arg)) is not arg:
        return None
    if found.first_use is not None and last > found.first_use:
        return None
    end = found.first_use if found.first_use is not None else last + 1
    if any(_may_read_environment(ctx, i) for i in sequence[found.index + 1 : end]):
        return None
    lines = ctx.document.lines
    nl = newline(ctx.document)
    text = nl.join(lines[arg.start_line : arg.end_line + 1])
    if found.first_use is not None:
        target = owners.get(id(sequence[found.first_use]), sequence[found.first_use])
        at = Position(target.start_line, 0)
        insert = text + nl
        where = f"just before its first use on line {target.start_line + 1}"
    else:
        after = owners.get(id(sequence[last]), sequence[last])
        if open_at_end(ctx.document, after):
            return None  # an unterminated heredoc or continuation would swallow the ARG
        if after.end_line + 1 < len(lines):
            at = Position(after.end_line + 1, 0)
            insert = text + nl
        else:
            at = Position(after.end_line, len(lines[after.end_line]))
            insert = nl + text
        where = f"below the installs (after line {after.end_line + 1})"
    return Fix(
        f"Move ARG {found.key.text} {where}; the RUNs it passes no longer see it",
        (TextEdit(whole_lines(ctx.document, arg), ""), TextEdit(Span(at, at), insert)),
        safe=False,
    )


@rule(
    "DKL303",
    "volatile-argument-before-expensive-layer",
    Category.CACHE,
    Severity.INFORMATION,
    scope=Scope.STAGE,
    summary="An ARG that changes on every build is declared before expensive RUNs.",
    docs=RuleDocs(
        what="An ARG whose value changes on every build (a build date, a commit id, a CI "
        "build number: `BUILD_DATE`, `GIT_SHA`, `VCS_REF`, `BUILD_NUMBER`, ...) declared in a "
        "stage before a RUN that installs system packages or dependencies and does not use "
        "it. Builds (`go build`, `make`, `npm run build`) are not counted: they often stamp "
        "the commit id or date they read from the environment into the binary.",
        why="BuildKit passes every ARG declared in a stage to each later RUN of that stage as "
        "an environment variable, whether the command mentions it or not. A new value is a "
        "new command environment, so the first RUN after the declaration misses the cache, "
        "and with it every layer after: a build that only changed the commit id reinstalls "
        "every package. (A global ARG before FROM does not do this until the stage declares "
        "it again.) `CACHEBUST`, `SOURCE_DATE_EPOCH` and a plain `VERSION` are not reported.",
        example="FROM python:3.12-slim\nARG GIT_SHA\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
        "LABEL org.opencontainers.image.revision=$GIT_SHA",
        instead="FROM python:3.12-slim\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nARG GIT_SHA\n"
        "LABEL org.opencontainers.image.revision=$GIT_SHA",
        fix_safety="The fix moves the ARG line to just before the first instruction that "
        "uses it, or below the last install when nothing uses it. It is not safe: a script "
        "that reads the variable from its environment without naming it in the Dockerfile "
        "no longer sees it. Not offered when the ARG declares other names, an ENV or ARG "
        "passes its value on, a use comes before an install, or the move would pass a RUN "
        "that builds or runs a script.",
        references=(DOCKERFILE_REFERENCE + "#impact-on-build-caching", CACHE_INVALIDATION),
    ),
)
def volatile_argument_before_expensive_layer(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        for sequence in own_sequences(stage):
            for found in _volatile_args(ctx, sequence):
                _, cmd, word = found.installs[0]
                fix = _move_fix(ctx, found, sequence)
                yield Hit(
                    found.key.span,
                    f"ARG {found.key.text} usually holds {found.kind}, new on every build. "
                    "BuildKit passes it to every later RUN of the stage as an environment "
                    f"variable, so from here on each RUN misses the cache, including "
                    f"`{shown(cmd, word)}` on line {line_no(word.span)}. Declare it after "
                    "the installs, just before its first use.",
                    fixes=() if fix is None else (fix,),
                    related=(Related(word.span, f"re-runs whenever {found.key.text} changes"),),
                )
