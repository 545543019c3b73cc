"""DKL528 relative-workdir: The first WORKDIR of a stage is a relative path."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerls.rules.correctness.variable_scopes import scopes
from dockerls.rules.correctness.word_processing import process_word
from dockerls.rules.doc_links import BUILD_CHECKS, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity

_ABSOLUTE = re.compile(r"^(?:/|\\|[A-Za-z]:[\\/])")


@rule(
    "DKL528",
    "relative-workdir",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="The first WORKDIR of a stage is a relative path.",
    docs=RuleDocs(
        what="A relative WORKDIR (`WORKDIR app`) when no earlier WORKDIR in the stage or "
        "the stages it is built FROM set an absolute one. Later relative WORKDIRs are "
        "fine: they build on the first.",
        why="A relative WORKDIR is resolved against the base image's working directory, "
        "which the base image chooses and may change in any release: `WORKDIR app` is "
        "`/app` on one image and `/usr/src/app` on another.",
        example="FROM node:20-slim\nWORKDIR app",
        instead="FROM node:20-slim\nWORKDIR /app",
        fix_safety="No automatic fix: the base image's directory is not known here.",
        references=(BUILD_CHECKS + "workdir-relative-path/", DOCKERFILE_REFERENCE + "#workdir"),
    ),
    hadolint=("DL3000",),
    buildkit=("WorkdirRelativePath",),
)
def relative_workdir(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    for stage in ctx.stages:
        if any(i.name == "WORKDIR" for s in ctx.graph.chain(stage)[:-1] for i in s.instructions):
            continue  # set (or inherited) in a stage this one is built FROM
        for ins, env in scopes(ctx, stage):
            if ins.name != "WORKDIR" or ins.rest is None:
                continue
            path = process_word(ins.rest.text, env, doc.escape, unset_unknown=True).value
            if path is not None and path and not _ABSOLUTE.match(path):
                yield Hit(
                    ins.rest.span,
                    f"Relative WORKDIR '{path}' depends on the base image's working "
                    "directory: write an absolute path.",
                )
            break
