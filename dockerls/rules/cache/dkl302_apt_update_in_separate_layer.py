"""DKL302 apt-update-in-separate-layer: The package index is refreshed in one RUN and used
by an install in a later one."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dockerls.findings import Fix, Related, TextEdit
from dockerls.rules.cache.layer_sequences import own_sequences, owners_of, sequences
from dockerls.rules.cache.package_indexes import APK, FAMILIES, IndexFamily, index_word
from dockerls.rules.cache.run_commands import SHELLS, commands_of
from dockerls.rules.dependency_steps import shown
from dockerls.rules.doc_links import BEST_PRACTICES
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.text_layout import line_no, whole_lines
from dockerls.shell import Command, Word
from dockerls.syntax import Instruction, Position, Severity, Span, Stage


def _text(ctx: RuleContext, span: Span) -> str | None:
    """The source text of a one-line span."""
    if span.start.line != span.end.line or span.start.line >= len(ctx.document.lines):
        return None
    return ctx.document.lines[span.start.line][span.start.column : span.end.column]


def _uses_cached_index(cmd: Command, family: IndexFamily) -> bool:
    """An install that reads the index from disk (``apk add --no-cache -U`` fetches its own)."""
    fetches_own = cmd.has_option("--no-cache", "--update", "-U", "--update-cache")
    return not (family is APK and fetches_own)


@dataclass(frozen=True, slots=True)
class _LoneUpdate:
    family: IndexFamily
    run: Instruction
    update: Command
    word: Word
    install_run: Instruction
    install: Command
    install_word: Word
    between: tuple[Instruction, ...]  # instructions between the two RUNs


def _lone_updates(ctx: RuleContext, sequence: Sequence[Instruction]) -> Iterator[_LoneUpdate]:
    for i, ins in enumerate(sequence):
        commands = commands_of(ctx, ins)
        for family in FAMILIES:
            refreshes = [(c, w) for c in commands if (w := index_word(c, family, family.refresh))]
            if not refreshes or any(index_word(c, family, family.installs) for c in commands):
                continue
            found = _next_install(ctx, sequence, i + 1, family)
            if found is not None:
                j, install, install_word = found
                update, word = refreshes[0]
                between = tuple(sequence[i + 1 : j])
                yield _LoneUpdate(
                    family, ins, update, word, sequence[j], install, install_word, between
                )


def _next_install(
    ctx: RuleContext, sequence: Sequence[Instruction], start: int, family: IndexFamily
) -> tuple[int, Command, Word] | None:
    """The first later RUN that installs with ``family`` without refreshing the index itself."""
    for j in range(start, len(sequence)):
        commands = commands_of(ctx, sequence[j])
        for cmd in commands:
            if index_word(cmd, family, family.refresh) is not None:
                return None
            word = index_word(cmd, family, family.installs)
            if word is not None:
                return (j, cmd, word) if _uses_cached_index(cmd, family) else None
    return None


_SAFE_CONNECTORS = (None, "&&", ";", "\n")


def _merge_fix(ctx: RuleContext, found: _LoneUpdate, same_stage: bool) -> Fix | None:
    """Remove the lone update RUN and run the update at the start of the install command."""
    run, install, family = found.run, found.install, found.family
    if not same_stage or run.flags or run.exec_form is not None or run.heredocs:
        return None
    if len(commands_of(ctx, run)) != 1:
        return None
    update_text = _text(ctx, found.update.span)
    if update_text is None or any(q in update_text for q in "'\"`"):
        return None
    if (
        found.install_run.exec_form is not None
        or install.connector not in _SAFE_CONNECTORS
        or "sh" in install.wrappers
        or install.in_substitution
    ):
        return None
    for between in found.between:
        for cmd in commands_of(ctx, between):
            name = cmd.name
            if (
                name in family.programs
                or name in family.tools
                or name in SHELLS
                or name.endswith(".sh")
            ):
                return None
    owner = owners_of(ctx).get(id(run), run)
    edits = (
        TextEdit(whole_lines(ctx.document, owner), ""),
        TextEdit(Span(install.span.start, install.span.start), f"{update_text} && "),
    )
    return Fix(f"Run `{update_text}` in the same RUN as the install", edits)


@rule(
    "DKL302",
    "apt-update-in-separate-layer",
    Category.CACHE,
    Severity.WARNING,
    summary="The package index is refreshed in one RUN and used by an install in a later one.",
    docs=RuleDocs(
        what="`apt-get update` (or `apk update`, `yum`/`dnf makecache`) in a RUN that installs "
        "nothing, followed by a later RUN of the same stage that installs packages without "
        "refreshing the index itself.",
        why="The update layer is cached like any other. When the install line changes (a "
        "package added), the builder reuses the old update layer and installs from an index "
        "that may be weeks old: outdated versions, or 404 errors for packages the mirror has "
        "since replaced. Refreshing and installing in one RUN keeps them in step.",
        example="FROM debian:bookworm-slim\nRUN apt-get update\n"
        "RUN apt-get install -y --no-install-recommends curl",
        instead="FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y "
        "--no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
        fix_safety="The fix removes the lone update RUN and starts the install command with "
        "the same update (`apt-get update && apt-get install ...`), keeping the rest of the "
        "line as written. It is offered only when both RUNs are in the same stage, the update "
        "RUN holds nothing else, and no RUN in between uses the package manager, runs a shell "
        "script or could otherwise depend on the refreshed index.",
        references=(BEST_PRACTICES + "#apt-get",),
    ),
)
def apt_update_in_separate_layer(ctx: RuleContext) -> Iterator[Hit]:
    seen: set[Position] = set()  # an update a child stage's layers repeat is reported once
    for hits in ctx.kept_each(_apt_update_hits):
        for hit in hits:
            if hit.span.start not in seen:
                seen.add(hit.span.start)
                yield hit


def _apt_update_hits(ctx: RuleContext, stage: Stage) -> list[Hit]:
    hits: list[Hit] = []
    own = {id(i) for seq in own_sequences(stage) for i in seq}
    for sequence in sequences(ctx, stage):
        for found in _lone_updates(ctx, sequence):
            same_stage = id(found.run) in own and id(found.install_run) in own
            fix = _merge_fix(ctx, found, same_stage)
            update = shown(found.update, found.word)
            install = shown(found.install, found.install_word)
            hits.append(
                Hit(
                    found.word.span,
                    f"`{update}` runs alone in this RUN, and `{install}` on line "
                    f"{line_no(found.install_word.span)} uses the index it leaves in the layer. "
                    "That layer stays cached: when the install line changes, it installs from a "
                    "stale index (outdated versions, or 404s for packages the mirror has "
                    "replaced). Refresh the index in the same RUN as the install.",
                    fixes=() if fix is None else (fix,),
                    related=(
                        Related(
                            found.install_word.span,
                            f"installs from the index cached by `{update}` on line "
                            f"{line_no(found.word.span)}",
                        ),
                    ),
                )
            )
    return hits
