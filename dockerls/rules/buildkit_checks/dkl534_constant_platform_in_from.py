"""DKL534 constant-platform-in-from: FROM --platform pins a constant platform."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.correctness.word_processing import process_word
from dockerls.rules.doc_links import BUILD_CHECKS, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity

_OSES = frozenset({"linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "aix"})


def _os_arch(platform: str) -> tuple[str, str]:
    parts = [p.lower() for p in platform.split("/")]
    if len(parts) == 1:
        return (parts[0], "") if parts[0] in _OSES else ("", parts[0])
    return parts[0], parts[1]


@rule(
    "DKL534",
    "constant-platform-in-from",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="FROM --platform pins a constant platform.",
    docs=RuleDocs(
        what="`FROM --platform=linux/amd64 …` with a literal platform, unless the stage "
        "name mentions that OS or architecture (`AS build-amd64`).",
        why="The stage is pulled and built for that platform whatever the build asks for: "
        "a multi-platform build (`--platform linux/amd64,linux/arm64`) ships amd64 binaries "
        "in the arm64 image, or runs them under emulation. Pass the platform at build time, "
        "or use `--platform=$BUILDPLATFORM` for cross-compiling stages.",
        example="FROM --platform=linux/amd64 node:20-slim",
        instead="FROM node:20-slim\n# docker build --platform linux/amd64 .",
        fix_safety="No automatic fix: removing the flag changes what is pulled on other hosts.",
        references=(
            BUILD_CHECKS + "from-platform-flag-const-disallowed/",
            DOCKERFILE_REFERENCE + "#from",
        ),
    ),
    hadolint=("DL3029",),
    buildkit=("FromPlatformFlagConstDisallowed",),
)
def constant_platform_in_from(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    for stage in ctx.stages:
        for flag in stage.from_.flags_named("platform"):
            value = flag.value
            if value is None or not value.text or "$" in value.text:
                continue
            platform = process_word(value.text, {}, doc.escape).value or ""
            os_name, arch = _os_arch(platform)
            name = stage.name_lower or ""
            if (os_name and os_name in name) or (arch and arch in name):
                continue
            yield Hit(
                value.span,
                f"FROM --platform={platform} pins the platform: every target of a "
                "multi-platform build gets this one. Pass --platform at build time instead.",
            )
