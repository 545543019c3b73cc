"""DKL206 whole-filesystem-copied-from-stage: `COPY --from=<stage> / …` copies a
stage's whole filesystem."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Related
from dockerls.rules.doc_links import MULTI_STAGE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.instruction_parts import from_span, operands
from dockerls.rules.stages.stage_parts import stage_label
from dockerls.syntax import Severity

_WHOLE_FILESYSTEM = frozenset({"/", "/.", "/*", ".", "./", "*", "./*"})


@rule(
    "DKL206",
    "whole-filesystem-copied-from-stage",
    Category.BLOAT,
    Severity.WARNING,
    summary="`COPY --from=<stage> / …` copies a stage's whole filesystem.",
    docs=RuleDocs(
        what="A COPY into a stage that ships whose `--from` names another stage and whose "
        "source is that stage's root (`/`). A source stage built FROM scratch holds only "
        "what was put there on purpose and is not flagged.",
        why="The whole builder comes along: its base image, compilers, package caches, "
        "source tree and intermediate files, which is what a multi-stage build was meant "
        "to leave behind; the copy also duplicates every file already in the target's "
        "base image into a new layer.",
        example="FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\nFROM alpine:3.20\n"
        "COPY --from=build / /",
        instead="FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\nFROM alpine:3.20\n"
        "COPY --from=build /out/app /usr/local/bin/app",
        fix_safety="No automatic fix: only the author knows which paths the application needs.",
        references=(
            MULTI_STAGE,
            "https://docs.docker.com/reference/dockerfile/#copy---from",
            "https://github.com/hadolint/hadolint/wiki/DL3067",
        ),
    ),
    hadolint=("DL3067",),
)
def whole_filesystem_copied_from_stage(ctx: RuleContext) -> Iterator[Hit]:
    for edge in ctx.graph.edges:
        source = edge.source
        ins = edge.instruction
        if source is None or ins.name != "COPY" or not ctx.ships(ctx.document.stage_of(ins)):
            continue
        if (ctx.graph.root(source).resolved_image or "").lower() == "scratch":
            continue
        name = stage_label(source)
        for token in operands(ins)[:-1]:
            if token.text in _WHOLE_FILESYSTEM:
                yield Hit(
                    token.span,
                    f"Copies the whole filesystem of stage `{name}` (its base image, "
                    "toolchain, caches and sources) into the image that ships; copy only "
                    "the build output.",
                    related=(Related(from_span(source), f"stage `{name}` starts here"),),
                )
                break
