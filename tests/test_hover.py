"""Hover: the token under the cursor, its span, and what the text says.

Markers: the first ``⟨…⟩`` is the span the hover must report; a second marker nested
inside it, if any, places the cursor at its start (otherwise the cursor is at the
start of the first).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerls.analysis import Analysis, analyze
from dockerls.hover import HoverResult, hover, hover_markdown
from dockerls.hover.render import code, escape, table, to_plain
from dockerls.syntax import Position, Span
from tests.corpus import corpus_params, read
from tests.markers import extract


def hover_at(marked: str, markdown: bool = True) -> tuple[HoverResult, Span]:
    text, spans = extract(marked)
    assert spans, "mark the expected span"
    cursor = spans[1].start if len(spans) > 1 else spans[0].start
    analysis = analyze(text)
    strict = hover_markdown(analysis, cursor)
    result = hover(analysis, cursor, markdown=markdown)
    assert strict is not None and result is not None, "no hover"
    return result, spans[0]


def text_at(marked: str, markdown: bool = True) -> str:
    result, span = hover_at(marked, markdown)
    assert result.span == span, (result.span, span)
    return result.text


def nothing_at(marked: str) -> None:
    text, spans = extract(marked)
    analysis = analyze(text)
    for span in spans:
        assert hover_markdown(analysis, span.start) is None
        assert hover(analysis, span.start) is None


def assert_plain(text: str) -> None:
    """No Markdown syntax left."""
    assert "**" not in text and "`" not in text and "###" not in text, text
    assert "](" not in text and "|---" not in text and "| " not in text, text
    assert not re.search(r"\\[\\`*_#|<>\[\]]", text), text


# -- base images -------------------------------------------------------------------


def test_node_full_image_table_has_variants_and_dated_sizes() -> None:
    result, span = hover_at('FROM ⟨node:⟨2⟩0⟩\nCMD ["node", "app.js"]\n')
    assert result.span == span and result.kind == "image"
    text = result.text
    assert "| Variant | Size | libc | Shell | Packages | Default user |" in text
    for row in ("**`node:20`** (this)", "`node:20-slim`", "`node:20-alpine`"):
        assert row in text
    assert "`gcr.io/distroless/nodejs20-debian12:nonroot`" in text
    # sizes are uncompressed, as `docker images` prints them (and every other dockerls size)
    assert re.search(r"~1.2 GB¹ \| glibc \| yes \| apt \| root, `node` available", text)
    assert re.search(r"~171 MB¹ \| musl \| yes \| apk", text)
    # sizes are labelled with what, where and when
    assert "size on disk, linux/amd64, 2026-Q3" in text
    assert "measured on node:24-trixie" in text
    # trade-offs specific to Node
    assert "unofficial-builds.nodejs.org" in text
    assert "sharp" in text and "bcrypt" in text
    assert "no\\_modules" not in text and "node\\_modules" in text
    assert "DNS" in text  # the musl resolver caveat for the alpine option
    assert "final stage" in text


def test_python_alpine_advice_is_about_wheels_and_dns() -> None:
    text = text_at("FROM ⟨python:3.12-alpine⟩ AS app\n")
    assert "**`python:3.12-alpine`** (this)" in text
    assert "`python:3.12-slim`" in text and "`python:3.12`" in text
    assert "musllinux" in text and "manylinux" in text
    assert "DNS" in text
    assert "size on disk, linux/amd64, 2026-Q3" in text
    assert "unofficial-builds" not in text  # Node advice stays with Node


def test_golang_advice_is_static_binaries_and_scratch() -> None:
    text = text_at(
        "FROM ⟨golang:1.22⟩ AS build\nRUN go build -o /app .\n"
        "FROM scratch\nCOPY --from=build /app /app\n"
    )
    assert "`scratch`" in text and "`gcr.io/distroless/static-debian13:nonroot`" in text
    assert "CGO\\_ENABLED=0" in text
    assert "CA certificates" in text
    assert "does not ship" in text  # a build stage: the toolchain costs build time only
    assert "sharp" not in text and "musllinux" not in text


def test_distroless_image_has_no_shell() -> None:
    text = text_at("FROM ⟨gcr.io/distroless/static-debian12:nonroot⟩\n")
    row = next(line for line in text.splitlines() if "(this)" in line)
    assert "| no | none | nonroot (65532) |" in row
    assert "No shell" in text and "exec (JSON) form" in text
    assert ":debug" in text


def test_scratch_says_static_binaries_only() -> None:
    text = text_at("FROM golang:1.22 AS b\nFROM ⟨scratch⟩\nCOPY --from=b /app /app\n")
    assert "static binaries" in text and "CA certificates" in text


def test_copy_from_image_and_mount_from_image() -> None:
    text = text_at("FROM alpine:3.20\nCOPY --from=⟨golang:1.22⟩ /usr/local/go /go\n")
    assert "Copy source" in text and "**`golang:1.22`** (this)" in text
    text = text_at("FROM alpine:3.20\nRUN --mount=from=⟨python:3.12⟩,target=/py ls /py\n")
    assert "Mount source" in text and "**`python:3.12`** (this)" in text


def test_image_from_global_arg_is_resolved() -> None:
    text = text_at("ARG V=20\nFROM ⟨node:${V}-alpine⟩\n")
    assert "`node:${V}-alpine` resolves to `node:20-alpine`" in text
    assert "**`node:20-alpine`** (this)" in text
    text = text_at("ARG BASE=node:20-slim\nFROM ⟨${BASE}⟩\n")
    assert "**`node:20-slim`** (this)" in text


def test_image_that_needs_a_build_argument() -> None:
    text = text_at("ARG V\nFROM node:⟨$V⟩\n")  # on the variable: the variable
    assert "no default" in text
    text = text_at("ARG V\nFROM ⟨node:$V⟩\n")
    assert "known only at build time" in text


def test_unknown_image_shows_its_parts() -> None:
    text = text_at("FROM ⟨registry.example.com:5000/team/app@sha256:" + "a" * 64 + "⟩\n")
    assert "no facts" in text
    assert "`registry.example.com:5000`" in text and "`team/app`" in text


# -- instructions, flags, directives ------------------------------------------------


@pytest.mark.parametrize("keyword", ["RUN", "run"])
def test_instruction_keyword(keyword: str) -> None:
    text = text_at(f"FROM alpine\n⟨{keyword}⟩ echo hi\n")
    assert text.startswith("### RUN")
    assert "https://docs.docker.com/reference/dockerfile/#run" in text
    assert "**Size and cache.**" in text


def test_every_instruction_has_documentation() -> None:
    from dockerls.hover.docs import INSTRUCTIONS

    names = {"FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY"}
    names |= {"ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL"}
    names |= {"HEALTHCHECK", "SHELL"}
    assert set(INSTRUCTIONS) == names


def test_onbuild_trigger_keyword() -> None:
    text = text_at("FROM alpine\nONBUILD ⟨COPY⟩ . /src\n")
    assert text.startswith("### COPY") and "later build" in text
    text = text_at("FROM alpine\n⟨ONBUILD⟩ COPY . /src\n")
    assert text.startswith("### ONBUILD")


FLAGS = [
    ("RUN ⟨--mount=type=cache,target=/root/.npm⟩ npm ci", "RUN --mount", "run---mount"),
    ("RUN ⟨--network=none⟩ make", "RUN --network", "run---network"),
    ("RUN ⟨--security=insecure⟩ make", "RUN --security", "run---security"),
    ("RUN ⟨--device=nvidia.com/gpu=all⟩ make", "RUN --device", "run---device"),
    ("COPY ⟨--link⟩ a /a", "COPY --link", "copy---link"),
    ("COPY ⟨--chmod=755⟩ a /a", "COPY --chmod", "copy---chmod"),
    ("COPY ⟨--chown=1000:1000⟩ a /a", "COPY --chown", "copy---chown"),
    ("COPY ⟨--parents⟩ ./a/b.txt /out/", "COPY --parents", "copy---parents"),
    ("COPY ⟨--exclude=*.md⟩ . /a", "COPY --exclude", "copy---exclude"),
    ("COPY ⟨--⟨from⟩=b⟩ /a /a", "COPY --from", "copy---from"),
    ("ADD ⟨--checksum=sha256:00⟩ https://x/y.tgz /y", "ADD --checksum", "add---checksum"),
    ("ADD ⟨--keep-git-dir=true⟩ https://x/r.git /r", "ADD --keep-git-dir", "add---keep-git-dir"),
    ("ADD ⟨--unpack=true⟩ https://x/y.tgz /y", "ADD --unpack", "add---unpack"),
    ("ADD ⟨--link⟩ a /a", "ADD --link", "add---link"),
    ("ADD ⟨--exclude=*.md⟩ . /a", "ADD --exclude", "add---exclude"),
    ("HEALTHCHECK ⟨--interval=5s⟩ CMD true", "HEALTHCHECK --interval", "healthcheck"),
    ("HEALTHCHECK ⟨--timeout=3s⟩ CMD true", "HEALTHCHECK --timeout", "healthcheck"),
    ("HEALTHCHECK ⟨--start-period=9s⟩ CMD true", "HEALTHCHECK --start-period", "healthcheck"),
    ("HEALTHCHECK ⟨--start-interval=1s⟩ CMD true", "HEALTHCHECK --start-interval", "healthcheck"),
    ("HEALTHCHECK ⟨--retries=2⟩ CMD true", "HEALTHCHECK --retries", "healthcheck"),
]


@pytest.mark.parametrize(("line", "title", "anchor"), FLAGS, ids=[f[1] for f in FLAGS])
def test_every_flag(line: str, title: str, anchor: str) -> None:
    result, span = hover_at(f"FROM alpine AS b\n{line}\n")
    assert result.kind == "flag" and result.span == span
    assert result.text.startswith(f"### {title}")
    assert f"https://docs.docker.com/reference/dockerfile/#{anchor})" in result.text


def test_from_platform_flag_and_unknown_flag() -> None:
    text = text_at("⟨--platform=linux/arm64⟩ alpine\n".join(["FROM ", ""]))
    assert text.startswith("### FROM --platform")
    text = text_at("FROM alpine\nCOPY ⟨--bogus⟩ a /a\n")
    assert "has no flag by this name" in text and "`--link`" in text


def test_mount_types_and_keys() -> None:
    base = "FROM alpine\nRUN --mount="
    text = text_at(base + "type=⟨cache⟩,target=/var/cache/apk,sharing=locked apk add x\n")
    assert text.startswith("### --mount type=cache") and "#run---mounttypecache" in text
    text = text_at(base + "⟨type⟩=secret,id=npm,env=NPM_TOKEN npm ci\n")
    assert text.startswith("### --mount type=secret")
    text = text_at(base + "type=cache,⟨target⟩=/root/.npm npm ci\n")
    assert "Where the mount appears" in text
    text = text_at(base + "type=cache,target=/var/lib/apt,⟨sharing⟩=locked apt-get update\n")
    assert "`locked`" in text and "apt" in text
    text = text_at(base + "type=secret,id=t,⟨env⟩=TOKEN make\n")
    assert "environment variable" in text
    text = text_at(base + "type=tmpfs,target=/t,⟨size⟩=64m make\n")
    assert "size" in text
    text = text_at(base + "type=ssh,⟨required⟩=true git clone x\n")
    assert "Fail the step" in text
    text = text_at(base + "target=/src,⟨rw⟩ make\n")  # bind is the default type
    assert "thrown away" in text
    text = text_at(base + "type=cache,⟨bogus⟩=1 make\n")
    assert "is not an option of `type=cache` mounts" in text
    text = text_at(base + "type=⟨weird⟩ make\n")
    assert "Not a mount type" in text


def test_heredoc_and_healthcheck_words() -> None:
    text = text_at("FROM alpine\nRUN ⟨<<EOF⟩\necho hi\nEOF\n")
    assert text.startswith("### Here-document")
    text = text_at("FROM alpine\nHEALTHCHECK --interval=5s ⟨CMD⟩ wget -q localhost\n")
    assert text.startswith("### HEALTHCHECK CMD")
    text = text_at("FROM alpine\nHEALTHCHECK ⟨NONE⟩\n")
    assert text.startswith("### HEALTHCHECK NONE")


def test_directives() -> None:
    text = text_at("⟨# sy⟨n⟩tax=docker/dockerfile:1⟩\nFROM alpine\n")
    assert "frontend" in text and "#syntax" in text
    text = text_at("⟨# escape=`⟩\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n")
    assert "backtick" in text and "#escape" in text
    text = text_at("⟨# ch⟨e⟩ck=error=true⟩\nFROM alpine\n")
    assert "build checks" in text and "#check" in text


def test_check_directive_names_map_to_rules() -> None:
    text = text_at("# check=skip=⟨JSONArgsRecommended⟩,NoSuchCheck\nFROM alpine\n")
    assert "BuildKit check `JSONArgsRecommended` is checked by dockerls as `DKL407`" in text
    assert "### DKL407 shell-form-command" in text
    text = text_at("# check=skip=JSONArgsRecommended,⟨NoSuchCheck⟩\nFROM alpine\n")
    assert "no rule equivalent" in text
    text = text_at("# check=skip=⟨all⟩\nFROM alpine\n")
    assert "every BuildKit build check" in text


# -- variables ---------------------------------------------------------------------


def test_arg_value_and_definition_line() -> None:
    text = text_at("FROM alpine\nARG VERSION=1.2\nRUN echo ⟨$VERSION⟩\n")
    assert "**Value here:** `1.2`" in text
    assert "Declared by `ARG` on line 2" in text
    assert "--build-arg VERSION=" in text
    assert "shell expands it" in text


def test_env_is_stage_scoped_and_inherited() -> None:
    doc = (
        "FROM alpine AS base\nENV APP=/srv/app\n"
        "FROM base AS child\nRUN ls ⟨${APP}⟩\n"
        "FROM alpine AS other\nRUN ls $APP\n"
    )
    text = text_at(doc)
    assert "**Value here:** `/srv/app`" in text
    assert "Declared by `ENV` on line 2 in stage `base`" in text
    other = doc.replace("⟨${APP}⟩", "${APP}").replace("RUN ls $APP", "RUN ls ⟨$APP⟩")
    text = text_at(other)
    assert "Stage `base` declares it (line 2), but this stage is not built on that one" in text


def test_global_arg_in_from_and_in_stages() -> None:
    text = text_at("ARG NODE=20\nFROM node:⟨${NODE}⟩-slim\nRUN echo $NODE\n")
    assert "**Value here:** `20`" in text
    assert "global `ARG` on line 1 (before the first `FROM`)" in text
    text = text_at("ARG NODE=20\nFROM node:${NODE}-slim\nRUN echo ⟨$NODE⟩\n")
    assert "stages do not see global arguments" in text
    text = text_at("ARG NODE=20\nFROM node:${NODE}-slim\nARG NODE\nRUN echo ⟨$NODE⟩\n")
    assert "**Value here:** `20`" in text
    assert "takes the default of the global `ARG` on line 1" in text


def test_expansion_uses_values_and_defaults() -> None:
    text = text_at("FROM alpine\nENV A=x\nENV B=${A}-y\nWORKDIR /⟨$B⟩\n")
    assert "**Value here:** `x-y`" in text
    text = text_at("FROM alpine\nWORKDIR ⟨${MISSING:-/fallback}⟩\n")
    assert "**Value here:** `/fallback`" in text and "Not declared" in text


def test_env_overrides_arg() -> None:
    text = text_at("FROM alpine\nENV V=env\nARG ⟨V⟩=arg\nRUN echo $V\n")
    assert "An `ENV V` (line 2) takes precedence over this `ARG`" in text
    text = text_at("FROM alpine\nENV V=env\nARG V=arg\nRUN echo ⟨$V⟩\n")
    assert "**Value here:** `env`" in text


def test_undefined_and_later_variables() -> None:
    text = text_at("FROM alpine\nRUN echo ⟨$NOPE⟩\n")
    assert "Not declared by this Dockerfile before this line" in text
    text = text_at("FROM alpine\nRUN echo ⟨$LATE⟩\nARG LATE=1\n")
    assert "declared later, on line 3" in text
    text = text_at("FROM ⟨$NOPE⟩\n")
    assert "Not a global `ARG`" in text


def test_platform_arguments() -> None:
    text = text_at("FROM --platform=⟨$BUILDPLATFORM⟩ golang:1.22\n")
    assert "machine running the build" in text
    text = text_at("FROM alpine\nRUN echo ⟨$TARGETARCH⟩\n")
    assert "empty until the stage declares `ARG TARGETARCH`" in text
    text = text_at("FROM alpine\nARG TARGETARCH\nRUN echo ⟨$TARGETARCH⟩\n")
    assert "set by BuildKit" in text and "`ARG TARGETARCH` on line 2" in text


def test_arg_in_cmd_is_not_in_the_container() -> None:
    text = text_at("FROM alpine\nARG PORT=8080\nCMD serve --port ⟨$PORT⟩\n")
    assert "it is not set in the running container" in text
    text = text_at('FROM alpine\nENV PORT=8080\nCMD ["serve", "⟨$PORT⟩"]\n')
    assert "passed literally" in text


def test_arg_and_env_names() -> None:
    text = text_at("FROM alpine\nARG ⟨HTTP_PROXY⟩\n")
    assert "predefined proxy argument" in text
    text = text_at("ARG ⟨V⟩=1\nFROM alpine:$V\n")
    assert "Global: usable in `FROM` lines" in text and "**Value:** `1`" in text
    text = text_at("FROM alpine\nENV ⟨PATH⟩=/opt/bin:$PATH\n")
    assert "running container" in text
    text = text_at("FROM alpine\nENV A=1\nENV ⟨A⟩=2\n")
    assert "Replaces the earlier definition on line 2" in text


def test_onbuild_variables_are_not_resolved_here() -> None:
    text = text_at("FROM alpine\nARG X=1\nONBUILD RUN echo ⟨$X⟩\n")
    assert "later build" in text and "Value here" not in text


# -- stages --------------------------------------------------------------------------


STAGES = (
    "FROM golang:1.22 AS build\nRUN go build -o /app .\n"
    "FROM alpine:3.20 AS base\n"
    "FROM base\nCOPY --from=build /app /app\n"
)


def test_stage_name_in_copy_from() -> None:
    text = text_at(STAGES.replace("--from=build", "--from=⟨build⟩"))
    assert text.startswith("### Stage `build`")
    assert "Defined on line 1 (stage 1 of 3)" in text
    assert "Base image: `golang:1.22`" in text
    assert "**Does not ship:**" in text and "Used by: COPY on line 5" in text


def test_stage_name_in_from_and_as() -> None:
    text = text_at(STAGES.replace("FROM base\n", "FROM ⟨base⟩\n"))
    assert text.startswith("### Stage `base`") and "**Ships:**" in text
    text = text_at(STAGES.replace("AS build", "AS ⟨build⟩"))
    assert text.startswith("### Stage `build`")


def test_stage_in_mount_from_and_index() -> None:
    text = text_at(
        "FROM node:20 AS deps\nRUN npm ci\n"
        "FROM node:20-slim\nRUN --mount=from=⟨deps⟩,source=/node_modules,target=/m ls /m\n"
    )
    assert text.startswith("### Stage `deps`")
    text = text_at("FROM golang:1.22\nRUN go build\nFROM scratch\nCOPY --from=⟨0⟩ /a /a\n")
    assert text.startswith("### Stage #0")


def test_forward_and_self_stage_references_are_images() -> None:
    text = text_at("FROM alpine\nCOPY --from=⟨later⟩ /a /a\nFROM alpine AS later\n")
    assert "after this instruction" in text
    text = text_at("FROM alpine AS me\nCOPY --from=⟨me⟩ /a /a\n")
    assert "cannot copy from itself" in text


def test_unused_stage() -> None:
    text = text_at("FROM alpine AS ⟨unused⟩\nFROM alpine\n")
    assert "Nothing uses it" in text


# -- rules -----------------------------------------------------------------------------


APT = "FROM debian:12-slim\nRUN apt-get update && apt-get ⟨install⟩ -y curl\n"


def test_rule_in_finding_range() -> None:
    text, spans = extract(APT)
    analysis = analyze(text)
    assert any(f.code == "DKL101" and f.span == spans[0] for f in analysis.findings)
    result = hover(analysis, Position(spans[0].start.line, spans[0].start.column + 2))
    assert result is not None and result.kind == "rule" and result.span == spans[0]
    assert "### DKL101 apt-install-recommends" in result.text
    assert "**This finding:** `apt-get install` also installs" in result.text
    assert "**Why it matters.**" in result.text
    assert "### DKL102 apt-lists-left" in result.text  # same range: both rules


def test_rule_after_token_documentation() -> None:
    result, span = hover_at("FROM ⟨node:20⟩\n")
    assert result.kind == "image" and result.span == span
    image, _, rules = result.text.partition("\n\n---\n\n")
    assert "| Variant |" in image and "### DKL401 runs-as-root" in rules


def test_rule_codes_in_ignore_comments() -> None:
    text = text_at("# dockerls: ignore=⟨DKL101⟩,apt-lists-left\nFROM alpine\n")
    assert text.startswith("### DKL101 apt-install-recommends")
    text = text_at("# dockerls: ignore=DKL101,⟨apt-lists-left⟩\nFROM alpine\n")
    assert text.startswith("### DKL102 apt-lists-left")
    text = text_at("FROM alpine\n# dockerls: ignore-file=⟨DKL999⟩\n")
    assert "No dockerls rule" in text
    text = text_at("FROM alpine\n# hadolint ignore=⟨DL3015⟩\nRUN true\n")
    assert "hadolint `DL3015` is checked by dockerls as `DKL101`" in text
    text = text_at("FROM alpine\n# hadolint global ignore=DL3015,⟨DL3008⟩\n")
    assert "no rule equivalent" in text
    text = text_at("⟨# dock⟨e⟩rls: ignore=DKL101⟩\nFROM alpine\n")
    assert text.startswith("### Suppression comment")


# -- formats, silence, robustness -------------------------------------------------------


@pytest.mark.parametrize(
    "marked",
    [
        "FROM ⟨node:20⟩\n",
        "FROM alpine\nRUN ⟨--mount=type=cache,target=/root/.npm⟩ npm ci\n",
        APT,
        "FROM alpine\nARG V=1\nRUN echo ⟨$V⟩\n",
        "FROM golang:1.22 AS ⟨b⟩\nFROM scratch\nCOPY --from=b /a /a\n",
        "# dockerls: ignore=⟨DKL407⟩\nFROM alpine\n",
    ],
)
def test_plain_text_has_no_markdown(marked: str) -> None:
    markdown, _ = hover_at(marked, markdown=True)
    plain, _ = hover_at(marked, markdown=False)
    assert markdown.markdown and not plain.markdown
    assert_plain(plain.text)
    assert plain.span == markdown.span


def test_plain_table_is_aligned() -> None:
    plain, _ = hover_at("FROM ⟨node:20⟩\n", markdown=False)
    lines = plain.text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Variant "))
    assert lines[header + 1].startswith("node:20 (this) ")
    assert lines[header].index("Size") == lines[header + 1].index("~1.2 GB")


def test_render_helpers() -> None:
    assert code("a`b") == "`` a`b ``"
    assert to_plain(code("a`b")) == "a`b\n"
    assert to_plain(escape("*x* _y_ |z|")) == "*x* _y_ |z|\n"
    assert to_plain("**`node:20`** (this)") == "node:20 (this)\n"
    assert (
        to_plain("what they *recommend*, not 2 * 3 * 4") == "what they recommend, not 2 * 3 * 4\n"
    )
    assert to_plain("[Reference](https://x)") == "Reference (https://x)\n"
    assert to_plain("```dockerfile\nRUN x | y\n```") == "RUN x | y\n"
    assert to_plain(table(["a", "bb"], [["ccc", "d"]])) == "a    bb\nccc  d\n"


def test_no_hover_on_whitespace_and_plain_comments() -> None:
    nothing_at("FROM alpine⟨⟩ \n⟨⟩\n⟨# just a comment⟩\nRUN echo  ⟨⟩ hi\n")
    nothing_at("FROM alpine\nRUN apt-get install -y x \\\n  ⟨# inside⟩\n  y\n")
    analysis = analyze("FROM alpine\n")
    for pos in (Position(-1, 0), Position(0, -1), Position(5, 0), Position(0, 999)):
        assert hover(analysis, pos) is None


def test_empty_analysis_and_missing_graph() -> None:
    from dockerls.syntax import parse

    assert hover(Analysis(parse("")), Position(0, 0)) is None
    doc = parse("FROM node:20 AS a\nFROM a\nCOPY --from=a /x /y\n")
    result = hover(Analysis(doc), Position(2, 12))
    assert result is not None and result.kind == "stage"


PIECES = st.sampled_from(
    [
        "FROM ",
        "node:20",
        "golang:${GO}",
        " AS b",
        "RUN ",
        "COPY ",
        "ADD ",
        "ARG ",
        "ENV ",
        "ONBUILD ",
        "HEALTHCHECK ",
        "CMD ",
        "--from=b ",
        "--from=",
        "--mount=type=cache,target=/x,from=b ",
        "--mount=",
        '"type=secret,id=a" ',
        "--platform=$TARGETPLATFORM ",
        "--chmod=7 ",
        "X=1 ",
        "$X",
        "${X:-y}",
        "${",
        "}",
        "=",
        ",",
        '["a", "$X"]',
        "[",
        '"',
        "<<EOF",
        "EOF",
        "\\",
        "`",
        "\n",
        "\r\n",
        "\r",
        " ",
        "\t",
        "# escape=`\n",
        "# syntax=docker/dockerfile:1\n",
        "# check=skip=all;error=true\n",
        "# dockerls: ignore=DKL101,x\n",
        "# hadolint ignore=DL3008\n",
        "#",
        "😀",
        "é",
        "apt-get install -y curl",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(PIECES, max_size=40).map("".join),
    st.lists(st.tuples(st.integers(-1, 12), st.integers(-1, 60)), min_size=1, max_size=25),
)
def test_hover_never_raises(text: str, positions: list[tuple[int, int]]) -> None:
    analysis = analyze(text)
    for line, column in positions:
        pos = Position(line, column)
        result = hover_markdown(analysis, pos)  # lets any exception through
        if result is not None:
            assert result.span.start <= pos
            assert result.span.start.line < max(len(analysis.document.lines), 1)
            assert result.text
            plain = hover(analysis, pos, markdown=False)
            assert plain is not None and plain.text


TOKEN_BOUNDARY = "=:$,{[\"'"


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_hover_at_every_token_start(path: Path | None) -> None:
    assert path is not None
    analysis = analyze(read(path))
    for i, line in enumerate(analysis.document.lines):
        for j, ch in enumerate(line):
            starts = j == 0 or line[j - 1].isspace() or line[j - 1] in TOKEN_BOUNDARY
            if ch.isspace() or not starts:
                continue
            pos = Position(i, j)
            result = hover_markdown(analysis, pos)
            if result is not None:
                assert result.text
                to_plain(result.text)
