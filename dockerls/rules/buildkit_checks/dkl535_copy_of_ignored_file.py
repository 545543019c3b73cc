"""DKL535 copy-of-ignored-file: COPY or ADD names a path that .dockerignore excludes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerls.rules.correctness.word_processing import process_word
from dockerls.rules.doc_links import BUILD_CHECKS
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Instruction, Severity, Token

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@)", re.IGNORECASE)


def _sources(ins: Instruction) -> Iterator[Token]:
    if ins.exec_form is not None:
        yield from ins.exec_form.elements[:-1]
        return
    heredocs = {h.marker.span for h in ins.heredocs}
    for token in ins.args[:-1]:
        if token.span not in heredocs:
            yield token


@rule(
    "DKL535",
    "copy-of-ignored-file",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="COPY or ADD names a path that .dockerignore excludes.",
    docs=RuleDocs(
        what="A COPY or ADD source from the build context (not `--from`, not a URL) that a "
        "pattern of the build context's `.dockerignore` excludes. Needs the build context: "
        "with an unsaved buffer the rule is silent.",
        why="The file never reaches the builder: COPY fails with 'not found', or a wildcard "
        "silently copies less than intended.",
        example="# .dockerignore: *.md\nCOPY README.md /docs/",
        instead="# .dockerignore: *.md and !README.md\nCOPY README.md /docs/",
        fix_safety="No automatic fix: change .dockerignore or the COPY.",
        references=(
            BUILD_CHECKS + "copy-ignored-file/",
            "https://docs.docker.com/build/concepts/context/#dockerignore-files",
        ),
    ),
    buildkit=("CopyIgnoredFile",),
)
def copy_of_ignored_file(ctx: RuleContext) -> Iterator[Hit]:
    build = ctx.build_context
    ignore = build.dockerignore
    if ignore is None or not build.known:
        return
    doc = ctx.document
    for stage in ctx.stages:
        for ins in stage.instructions:
            if ins.name not in ("COPY", "ADD") or ins.flag("from") is not None:
                continue
            for token in _sources(ins):
                path = process_word(token.text, {}, doc.escape).value
                if not path or "$" in token.text or _REMOTE.match(path):
                    continue
                relative = path.lstrip("/")
                if relative in ("", ".", "./") or build.sends_to_daemon(relative) is not False:
                    continue
                pattern = ignore.matching_pattern(relative)
                where = f" (line {pattern.line + 1}: {pattern.text})" if pattern is not None else ""
                yield Hit(
                    token.span,
                    f"{ins.name} of '{path}', which .dockerignore excludes{where}: it is not in "
                    "the build context.",
                )
