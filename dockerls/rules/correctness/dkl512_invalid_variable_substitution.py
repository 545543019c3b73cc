"""DKL512 invalid-variable-substitution: A ${…} substitution uses a form the Dockerfile does not
support.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.correctness.expanded_words import (
    expanded_heredocs,
    heredoc_references,
    word_errors,
)
from dockerls.rules.correctness.word_processing import process_word
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Heredoc, Instruction, Severity, Span


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
        references=(DOCKERFILE_REFERENCE + "#environment-replacement",),
    ),
)
def invalid_variable_substitution(ctx: RuleContext) -> Iterator[Hit]:
    yield from word_errors(ctx, "substitution")
    escape = ctx.document.escape
    for stage in ctx.stages:
        for ins in stage.instructions:
            for heredoc in expanded_heredocs(ins):
                yield from _heredoc_substitutions(ins, heredoc, escape)


def _heredoc_substitutions(ins: Instruction, heredoc: Heredoc, escape: str) -> Iterator[Hit]:
    """The invalid ``${…}`` of a COPY/ADD heredoc body, which BuildKit expands."""
    for start, reference in heredoc_references(heredoc, escape):
        error = process_word(reference, {}, escape).error
        if error is not None and error.kind == "substitution":
            span = Span(heredoc.locate(start + error.start), heredoc.locate(start + error.end))
            yield Hit(span, f"In the {ins.name} heredoc {heredoc.name}: {error.message}.")
