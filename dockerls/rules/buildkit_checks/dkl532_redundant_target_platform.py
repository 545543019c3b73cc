"""DKL532 redundant-target-platform: `FROM --platform=$TARGETPLATFORM` repeats the default."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerls.findings import Fix, TextEdit
from dockerls.rules.doc_links import BUILD_CHECKS, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity, Span

_TARGET_PLATFORM = re.compile(r"\$(?:TARGETPLATFORM|\{TARGETPLATFORM\})")


@rule(
    "DKL532",
    "redundant-target-platform",
    Category.STYLE,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="`FROM --platform=$TARGETPLATFORM` repeats the default.",
    docs=RuleDocs(
        what="`FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`).",
        why="The target platform is what FROM pulls anyway; the flag adds nothing. (It is "
        "`--platform=$BUILDPLATFORM` that changes something, for cross-compiling stages.)",
        example="FROM --platform=$TARGETPLATFORM alpine:3.20",
        instead="FROM alpine:3.20",
        fix_safety="The fix removes the flag; the pulled image is the same.",
        references=(BUILD_CHECKS + "redundant-target-platform/", DOCKERFILE_REFERENCE + "#from"),
    ),
    hadolint=("DL3065",),
    buildkit=("RedundantTargetPlatform",),
)
def redundant_target_platform(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        ins = stage.from_
        for flag in ins.flags_named("platform"):
            if flag.value is None or not _TARGET_PLATFORM.fullmatch(flag.value.text):
                continue
            following = [f.span for f in ins.flags if f.span.start > flag.span.start]
            following += [a.span for a in ins.args]
            cut = flag.span
            if following and following[0].start.line == flag.span.end.line:
                cut = Span(flag.span.start, following[0].start)
            yield Hit(
                flag.span,
                f"--platform={flag.value.text} is the default: FROM already pulls the target "
                "platform.",
                (Fix("Remove --platform", (TextEdit(cut, ""),)),),
            )
