"""DKL527 undeclared-arg-in-from: FROM uses a variable that no ARG before the first FROM
declares."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.buildkit_checks.reference_edits import rename_fixes, verbatim_at
from dockerls.rules.correctness.spans import piece
from dockerls.rules.correctness.spelling import did_you_mean, suggest
from dockerls.rules.correctness.variable_scopes import global_scope
from dockerls.rules.correctness.word_processing import IDENTIFIER, process_word
from dockerls.rules.doc_links import BUILD_CHECKS, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Instruction, Severity, Stage, Token


def _from_words(stage: Stage) -> Iterator[tuple[Instruction, Token]]:
    ins = stage.from_
    if ins.args:
        yield ins, ins.args[0]
    for flag in ins.flags_named("platform"):
        if flag.value is not None:
            yield ins, flag.value


@rule(
    "DKL527",
    "undeclared-arg-in-from",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="FROM uses a variable that no ARG before the first FROM declares.",
    docs=RuleDocs(
        what="`$NAME` in a FROM image or `--platform` where NAME is neither an ARG declared "
        "before the first FROM nor a predefined platform ARG (TARGETPLATFORM, BUILDARCH…).",
        why="Only global ARGs reach FROM. An undeclared name expands to an empty string, "
        "even when passed with `--build-arg`, so the base image silently changes or the "
        "build fails with an invalid reference.",
        example="FROM node:${NODE_VERSON}-alpine",
        instead="ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine",
        fix_safety="A misspelling with one close declared name is replaced with it; with "
        "several candidates each is offered, none preferred.",
        references=(
            BUILD_CHECKS + "undefined-arg-in-from/",
            DOCKERFILE_REFERENCE + "#understand-how-arg-and-from-interact",
        ),
    ),
    buildkit=("UndefinedArgInFrom",),
)
def undeclared_arg_in_from(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    declared = global_scope(doc)
    for stage in ctx.stages:
        for ins, token in _from_words(stage):
            for use in process_word(token.text, declared, doc.escape).uses:
                if use.name in declared or not IDENTIFIER.fullmatch(use.name):
                    continue
                options = suggest(use.name, tuple(declared))
                name_span = piece(ins, token, use.name_start, use.name_end)
                yield Hit(
                    piece(ins, token, use.start, use.end),
                    f"FROM uses ${use.name}, which no ARG before the first FROM declares"
                    f"{did_you_mean(options)}: it is always empty here.",
                    rename_fixes(name_span, options, "$")
                    if verbatim_at(name_span, use.name)
                    else (),
                )
