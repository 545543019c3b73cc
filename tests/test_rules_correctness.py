"""Correctness rules: builder errors (DKL501-DKL515) and BuildKit's checks (DKL520-DKL537)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerls.analysis import analyze
from dockerls.config import Settings
from dockerls.context import BuildContext
from dockerls.dockerignore import DockerIgnore
from dockerls.findings import Tag
from dockerls.rules.buildkit_checks import errors_requested, escalate_checks
from dockerls.rules.correctness import (
    duration_problem,
    expose_problem,
    process_word,
    reference_problem,
    signal_problem,
    suggest,
)
from dockerls.rules.engine import Category
from dockerls.rules.registry import equivalents, lookup
from dockerls.syntax import Severity, parse
from tests.corpus import corpus_params, read
from tests.markers import extract
from tests.rulecheck import check, clean, findings, fixed

SHA = "a" * 64


def roundtrip(code: str, marked: str, expected: str, index: int = 0) -> None:
    """The rule flags the marked ranges; its fix gives ``expected``, which is clean."""
    check(code, marked)
    text, _ = extract(marked)
    assert fixed(code, text, index=index) == expected
    clean(code, expected)


# =========================================================================== helpers


@pytest.mark.parametrize(
    ("word", "env", "value"),
    [
        ("plain", {}, "plain"),
        ("'$A b'", {"A": "x"}, "$A b"),
        ('"$A b"', {"A": "x"}, "x b"),
        ("a\\ b", {}, "a b"),
        ('"a\\"b"', {}, 'a"b'),
        ("${A:-d}", {}, "d"),
        ("${A:-d}", {"A": ""}, "d"),
        ("${A-d}", {"A": ""}, ""),
        ("${A:+set}", {"A": "x"}, "set"),
        ("${A+set}", {}, ""),
        ("$A$B", {"A": "1", "B": "2"}, "12"),
        ("$A", {"A": None}, None),
        ("${A:-$B}", {"B": "z"}, "z"),
        ("$1 and $", {}, " and $"),
    ],
)
def test_process_word_follows_buildkit(
    word: str, env: dict[str, str | None], value: str | None
) -> None:
    result = process_word(word, env)
    assert result.error is None
    assert result.value == value


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("${A:0:3}", "substitution"),
        ("${#A}", "substitution"),
        ("${A^^}", "substitution"),
        ("${!A}", "substitution"),
        ("${}", "substitution"),
        ("${A:-x", "substitution"),
        ('"open', "quote"),
        ("don't", "quote"),
    ],
)
def test_process_word_errors(word: str, kind: str) -> None:
    error = process_word(word, {}).error
    assert error is not None and error.kind == kind


def test_process_word_records_uses_with_offsets() -> None:
    (use,) = process_word("a-${NAME:-x}", {}).uses
    assert (use.name, use.start, use.end, use.name_start, use.guarded) == ("NAME", 2, 12, 4, True)


@pytest.mark.parametrize(
    "ref",
    [
        "node:20",
        "scratch",
        "library/node",
        "registry.example.com:5000/team/app:1.0",
        f"node:20@sha256:{SHA}",
        f"alpine@sha256:{SHA}",
        "localhost/app",
        "MyRegistry.io/app:1",
        "ghcr.io/owner/repo__x/a-b.c:v1.2_3",
    ],
)
def test_valid_references(ref: str) -> None:
    assert reference_problem(ref) is None


@pytest.mark.parametrize(
    ("ref", "part"),
    [
        ("Node:20", "Node"),
        ("node:", ":"),
        ("node:-x", "-x"),
        ("alpine@sha256:abc", "sha256:abc"),
        (f"alpine@md5:{SHA}", f"md5:{SHA}"),
        ("my_-app", "my_-app"),
        ("bad!.io/app", "bad!.io"),
        ("team/bad name", "bad name"),
        ("", ""),
    ],
)
def test_invalid_references(ref: str, part: str) -> None:
    problem = reference_problem(ref)
    assert problem is not None and ref[problem.start : problem.end] == part


@pytest.mark.parametrize("value", ["0", "30s", "1m30s", "1.5h", ".5s", "10ms", "2µs1ms", ""])
def test_valid_durations(value: str) -> None:
    if value:
        assert duration_problem(value) is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("30", "no unit"),
        ("5x", "unknown unit"),
        ("500us", "minimum"),
        ("-1s", "minimum"),
        ("s", "not a"),
    ],
)
def test_invalid_durations(value: str, fragment: str) -> None:
    problem = duration_problem(value)
    assert problem is not None and fragment in problem


@pytest.mark.parametrize("value", ["SIGTERM", "term", "9", "SIGRTMIN+3", "KILL"])
def test_valid_signals(value: str) -> None:
    assert signal_problem(value) is None


def test_expose_problem_points_at_the_bad_part() -> None:
    assert expose_problem("80/xyz") == (3, 6, "unknown protocol 'xyz' (use tcp, udp or sctp)")
    assert expose_problem("1.2.3:80:80") is not None
    assert expose_problem("[::1]:80:80") is None


def test_suggest_prefers_the_closest() -> None:
    assert suggest("buidler", ("builder", "build", "base")) == ["builder"]
    assert suggest("xyz", ("builder",)) == []


# =========================================================================== DKL501


def test_from_second_word_must_be_as() -> None:
    roundtrip(
        "DKL501",
        "FROM golang:1.22 ⟨AD⟩ build\n",
        "FROM golang:1.22 AS build\n",
    )
    roundtrip("DKL501", "from golang:1.22 ⟨ad⟩ build\n", "from golang:1.22 as build\n")


def test_from_invalid_stage_name() -> None:
    (f,) = check("DKL501", "FROM node:20 AS ⟨2nd-stage⟩\n")
    assert "starts with a letter" in f.message
    check("DKL501", "FROM node:20 AS ⟨my/stage⟩\n")


def test_from_two_words_offers_as_unsafely() -> None:
    text, _ = extract("FROM node:20 builder\n")
    (f,) = check("DKL501", "FROM node:20 ⟨builder⟩\n")
    assert not f.fixes[0].safe
    assert fixed("DKL501", text) == "FROM node:20 AS builder\n"
    check("DKL501", "FROM node:20 ⟨AS⟩\n")


def test_from_extra_words() -> None:
    (f,) = check("DKL501", "FROM node:20 AS build ⟨extra words⟩\n")
    assert fixed("DKL501", "FROM node:20 AS build extra words\n") == "FROM node:20 AS build\n"
    assert not f.fixes[0].safe


@pytest.mark.parametrize(
    "text",
    [
        "FROM node:20\n",
        "FROM node:20 AS build\n",
        "FROM node:20 as build-2.x_y\n",
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\n",
        "FROM \\\n  node:20 \\\n  AS build\n",
        "FROM\n",
    ],
)
def test_from_clean(text: str) -> None:
    clean("DKL501", text)


# =========================================================================== DKL502


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nCOPY ⟨app.py⟩\n",
        'FROM a\nADD ⟨["app.py"]⟩\n',
        "FROM a\nHEALTHCHECK NONE ⟨CMD true⟩\n",
        "FROM a\nHEALTHCHECK ⟨CMD⟩\n",
        "FROM a\nHEALTHCHECK ⟨CMD⟩ []\n",
        "FROM a\nUSER app ⟨user⟩\nRUN true\n",
        "FROM a\nVOLUME ⟨[]⟩\n",
        'FROM a\nVOLUME ["/data", ⟨""⟩]\n',
        # BuildKit: "COPY cannot accept a heredoc as a destination"
        "FROM a\nCOPY a ⟨<<EOF⟩\nx\nEOF\n",
    ],
)
def test_argument_count_flagged(marked: str) -> None:
    check("DKL502", marked)


def test_healthcheck_without_type_gets_cmd() -> None:
    roundtrip(
        "DKL502",
        "FROM a\nHEALTHCHECK --interval=5s ⟨curl⟩ -f http://localhost/\n",
        "FROM a\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/\n",
    )


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nCOPY <<EOF /app/x\nhello\nEOF\n",
        "FROM a\nCOPY a b /c/\n",
        'FROM a\nCOPY ["a", "/b"]\n',
        "FROM a\nHEALTHCHECK NONE\n",
        "FROM a\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/\n",
        'FROM a\nHEALTHCHECK CMD ["curl", "-f", "http://localhost/"]\n',
        "FROM a\nUSER app:app\n",
        'FROM a\nUSER "NT AUTHORITY\\SYSTEM"\n',
        "FROM a\nVOLUME /data /logs\n",
        'FROM a\nVOLUME ["/data"]\n',
        "FROM a\nWORKDIR /my dir\n",
        # BuildKit builds these: DKL515's
        "FROM a\nUSER app user\n",
        "FROM a\nUSER app user\nUSER root\nRUN true\n",
        "FROM a\nONBUILD COPY .\n",
        "FROM a\nONBUILD COPY --form=x a /b/\n",
    ],
)
def test_argument_count_clean(text: str) -> None:
    clean("DKL502", text)


# =========================================================================== DKL503


def test_uppercase_repository_is_lowercased() -> None:
    roundtrip("DKL503", "FROM ⟨Node⟩:20-alpine\n", "FROM node:20-alpine\n")


@pytest.mark.parametrize(
    "marked",
    [
        "FROM node⟨:⟩\n",
        "FROM node:⟨-bad⟩\n",
        "FROM alpine@⟨sha256:abc⟩\n",
        "FROM a AS b\nCOPY --from=⟨Golang⟩:1.22 /a /b\n",
        "FROM a\nRUN --mount=from=⟨bad_-image⟩,target=/x true\n",
        # BuildKit: "variable expansion is not supported for --from"
        "FROM a\nCOPY --from=⟨$IMAGE⟩ /a /b\n",
        "FROM a\nARG V=1\nCOPY --from=⟨tool:${V}⟩ /a /b\n",
    ],
)
def test_invalid_reference_flagged(marked: str) -> None:
    check("DKL503", marked)


@pytest.mark.parametrize(
    "marked",
    [
        # BuildKit: "base name ($BASE) should not be blank", also with --build-arg BASE=…
        "FROM ⟨$BASE⟩\n",
        # BuildKit: 'failed to parse stage name "node:-alpine": invalid reference format'
        "ARG NODE_VERSION=20\nFROM ⟨node:${NODE_VERSON}-alpine⟩\n",
        "FROM alpine\nARG LATE\nFROM ⟨x-$LATE⟩\n",
        # BuildKit: "empty platform value from expression $PLATFORM"
        "FROM --platform=⟨$PLATFORM⟩ alpine\n",
    ],
)
def test_from_with_undeclared_names_only_is_invalid(marked: str) -> None:
    check("DKL503", marked)


@pytest.mark.parametrize(
    "text",
    [
        "ARG BASE\nFROM $BASE\n",  # --build-arg BASE=… builds it: DKL533's
        "ARG TAG=3.20\nFROM alpine:${TAG}${EXTRA}\n",
        "FROM alpine$SUFFIX\n",  # 'alpine' is valid: DKL527's warning
        "FROM --platform=$BUILDPLATFORM alpine\n",
    ],
)
def test_from_with_declared_or_harmless_names_is_not_judged(text: str) -> None:
    clean("DKL503", text)


def test_from_stage_in_another_case_is_an_image() -> None:
    (f,) = check("DKL503", "FROM golang:1.22 AS builder\nFROM ⟨Builder⟩\n")
    assert "does not name stage 'builder'" in f.message and f.related
    assert fixed("DKL503", "FROM golang:1.22 AS builder\nFROM Builder\n").endswith("FROM builder\n")


@pytest.mark.parametrize(
    "text",
    [
        "FROM node:20\n",
        f"FROM registry.example.com:5000/team/app:1.0@sha256:{SHA}\n",
        "FROM scratch\n",
        "FROM golang AS Builder\nFROM builder\n",
        "ARG BASE\nFROM ${BASE}\n",
        'FROM "alpine:3.20"\n',
        "FROM a AS builder\nFROM b\nCOPY --from=builder /a /b\nCOPY --from=0 /a /b\n",
        "FROM a AS Builder\nFROM b\nCOPY --from=BUILDER /a /b\n",
    ],
)
def test_invalid_reference_clean(text: str) -> None:
    clean("DKL503", text)


# =========================================================================== DKL504


def test_misspelled_flag_suggests_unsafely() -> None:
    (f,) = check("DKL504", "FROM a\nCOPY --⟨form⟩=build a /b/\n")
    assert "did you mean '--from'" in f.message
    assert not f.fixes[0].safe
    assert (
        fixed("DKL504", "FROM a\nCOPY --form=build a /b/\n") == "FROM a\nCOPY --from=build a /b/\n"
    )


def test_flag_in_wrong_case_is_lowercased() -> None:
    roundtrip("DKL504", "FROM a\nCOPY --⟨FROM⟩=build a /b/\n", "FROM a\nCOPY --from=build a /b/\n")


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nRUN --⟨foo⟩ echo\n",
        "FROM a\nENV ⟨--x⟩ A=1\n",
        "FROM a\nCOPY --from=a ⟨--from=b⟩ x /y/\n",
        "FROM a\nCOPY ⟨--chown⟩ a /b/\n",
        "FROM a\nCOPY --link=⟨maybe⟩ a /b/\n",
        "FROM a\nCOPY ⟨--link=⟩ a /b/\n",
        "FROM --⟨plattform⟩=linux/amd64 a\n",
    ],
)
def test_invalid_flag_flagged(marked: str) -> None:
    check("DKL504", marked)


def test_duplicate_flag_points_at_the_first() -> None:
    (f,) = check("DKL504", "FROM a\nRUN --network=none ⟨--network=host⟩ true\n")
    assert f.related[0].message == "first given here"


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nRUN --mount=type=cache,target=/x --mount=type=secret,id=s --network=none "
        "--security=insecure --device=gpu true\n",
        f"FROM a\nADD --keep-git-dir --checksum=sha256:{SHA} --unpack=false --link --chmod=644 "
        "--chown=1:1 --exclude=*.md https://example.com/x.tar.gz /y/\n",
        "FROM a\nCOPY --parents --exclude=a --exclude=b --link=TRUE src/ /dst/\n",
        "FROM a\nHEALTHCHECK --interval=1s --timeout=2s --start-period=3s --start-interval=1s "
        "--retries=3 CMD true\n",
        "FROM a\nSTOPSIGNAL --whatever SIGTERM\n",
        "FROM --platform=$BUILDPLATFORM a\n",
        "FROM a\nRUN -- --not-a-flag\n",
    ],
)
def test_invalid_flag_clean(text: str) -> None:
    clean("DKL504", text)


# =========================================================================== DKL505


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nHEALTHCHECK --interval=⟨30⟩ CMD true\n",
        "FROM a\nHEALTHCHECK --timeout=⟨5x⟩ CMD true\n",
        "FROM a\nHEALTHCHECK --start-period=⟨500us⟩ CMD true\n",
        "FROM a\nHEALTHCHECK --retries=⟨-1⟩ CMD true\n",
        "FROM a\nHEALTHCHECK --retries=⟨abc⟩ CMD true\n",
        "FROM a\nCOPY --chmod=⟨999⟩ a /b/\n",
        "FROM a\nCOPY --chmod=⟨rwx⟩ a /b/\n",
        "FROM a\nADD --checksum=⟨sha256:abc⟩ https://example.com/x /y\n",
        "FROM a\nRUN --network=⟨hots⟩ true\n",
        "FROM a\nRUN --security=⟨root⟩ true\n",
        "FROM a\nRUN --mount=type=cache,target=/x,⟨size=1g⟩ true\n",
        "FROM a\nRUN --mount=⟨type=volume⟩,target=/x true\n",
        "FROM a\nRUN --mount=⟨type=secret⟩ true\n",
        "FROM a\nRUN --mount=type=bind,⟨targt=/x⟩ true\n",
        "FROM a\nRUN --mount=type=bind,⟨from=$IMG⟩,target=/x true\n",
        "FROM a\nRUN --mount=type=bind,target=/x,⟨mode=0700⟩ true\n",
        "FROM a\nRUN --mount=type=cache,target=/x,⟨sharing=all⟩ true\n",
        "FROM a\nRUN --mount=type=cache,target=/x,⟨uid=me⟩ true\n",
        "FROM a\nRUN --mount=type=bind,target=/x,⟨rw=maybe⟩ true\n",
        "FROM a\nRUN --mount=type=bind,⟨target⟩ true\n",
        'FROM a\nRUN --mount=⟨type=cache,target=\\"x⟩ true\n',
        "FROM --platform=⟨linux/amd64/v8/x⟩ a\n",
        # BuildKit: 'time: invalid duration "$P"': HEALTHCHECK's flags are not expanded
        "FROM a\nARG P=5s\nHEALTHCHECK --start-period=⟨$P⟩ CMD true\n",
        "FROM a\nHEALTHCHECK --retries=⟨${R:-3}⟩ CMD true\n",
    ],
)
def test_invalid_flag_value_flagged(marked: str) -> None:
    check("DKL505", marked)


def test_unknown_mount_option_suggests() -> None:
    (f,) = findings("DKL505", "FROM a\nRUN --mount=type=bind,targt=/x true\n")
    assert "did you mean 'target'" in f.message


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nHEALTHCHECK --interval=0 --retries=0 CMD true\n",
        "FROM a\nHEALTHCHECK --interval=1m30s --timeout=1.5s CMD true\n",
        "FROM a\nCOPY --chmod=u+x,g=rx a /b/\nCOPY --chmod=0755 a /b/\nCOPY --chmod=$MODE a /b/\n",
        "FROM a\nRUN --mount=type=tmpfs,target=/tmp,size=64m true\n",
        "FROM a\nRUN --mount=type=cache,target=/x,sharing=locked,uid=1000,mode=0755,id=x true\n",
        "FROM a\nRUN --mount=type=secret,id=npm,env=NPM_TOKEN,required true\n",
        "FROM a\nRUN --mount=type=ssh true\n",
        "FROM a AS build\nFROM b\n"
        "RUN --mount=type=bind,from=build,source=/out,target=/in,ro true\n",
        "FROM a\nRUN --mount=type=cache,target=$CACHE_DIR true\n",
        f"FROM a\nADD --checksum=sha256:{SHA} https://example.com/x /y\n",
        "FROM a\nADD --checksum=1a2b3c4d https://github.com/o/r.git#v1 /src\n",
        "FROM --platform=linux/arm64/v8 a\n",
        "FROM --platform=${BUILDPLATFORM} a\n",
        "FROM a\nHEALTHCHECK NONE\n",
    ],
)
def test_invalid_flag_value_clean(text: str) -> None:
    clean("DKL505", text)


# =========================================================================== DKL506


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a AS build\nCOPY --from=⟨build⟩ /x /y\n",
        "FROM a AS build\nCOPY --from=⟨BUILD⟩ /x /y\n",
        "FROM a\nCOPY --from=⟨3⟩ /x /y\n",
        "FROM a\nCOPY --from=⟨-1⟩ /x /y\n",
        "FROM a\nFROM b\nCOPY --from=⟨1⟩ /x /y\n",
        "FROM a AS b\nRUN --mount=from=⟨b⟩,target=/x true\n",
        # BuildKit: 'cannot copy from stage "two", it needs to be defined before …'
        "FROM a AS one\nCOPY --from=⟨two⟩ /x /y\nFROM b AS two\n",
        "FROM a\nCOPY --from=⟨1⟩ /x /y\nFROM b\n",
        "FROM a\nRUN --mount=from=⟨Later⟩,target=/x true\nFROM b AS later\n",
    ],
)
def test_invalid_stage_reference_flagged(marked: str) -> None:
    check("DKL506", marked)


def test_invalid_stage_reference_clean() -> None:
    clean(
        "DKL506",
        "FROM a AS build\nFROM b\nCOPY --from=build /x /y\nCOPY --from=0 /x /y\n"
        "RUN --mount=from=build,target=/x true\n",
    )


# =========================================================================== DKL507


def test_typo_of_a_stage_name_is_fixed() -> None:
    roundtrip(
        "DKL507",
        "FROM node:20 AS builder\nFROM nginx:1.27\nCOPY --from=⟨buidler⟩ /a /b\n",
        "FROM node:20 AS builder\nFROM nginx:1.27\nCOPY --from=builder /a /b\n",
    )


@pytest.mark.parametrize(
    "marked",
    [
        "FROM node:20 AS builder\nFROM ⟨buidler⟩\n",
        "FROM ⟨later⟩\nFROM alpine AS later\n",
        "FROM a AS builder\nFROM b\nRUN --mount=from=⟨biulder⟩,target=/x true\n",
    ],
)
def test_unresolved_stage_reference_flagged(marked: str) -> None:
    check("DKL507", marked)


@pytest.mark.parametrize(
    "text",
    [
        "FROM a AS build\nFROM b\nCOPY --from=composer /usr/bin/composer /usr/bin/\n",
        "FROM a AS build\nFROM b\nCOPY --from=nginx:alpine /etc/nginx /etc/nginx\n",
        "FROM a AS build\nFROM b\nCOPY --from=build /a /b\n",
        "FROM a AS build\nFROM b\nCOPY --from=docker.io/library/buidl:1 /a /b\n",
        "FROM a AS build\nFROM b\nCOPY --from=Buidl /a /b\n",  # DKL503's
        "FROM a AS one\nCOPY --from=two /x /y\nFROM b AS two\n",  # DKL506's
    ],
)
def test_unresolved_stage_reference_clean(text: str) -> None:
    clean("DKL507", text)


# =========================================================================== DKL508


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nEXPOSE ⟨99999⟩\n",
        "FROM a\nEXPOSE 80/⟨xyz⟩\n",
        "FROM a\nEXPOSE ⟨9000-8000⟩\n",
        "FROM a\nEXPOSE ⟨http⟩\n",
        "FROM a\nARG PORT=http\nEXPOSE ⟨$PORT⟩\n",
        "FROM a\nEXPOSE 80 ⟨abc⟩:80\n",
    ],
)
def test_invalid_expose_flagged(marked: str) -> None:
    check("DKL508", marked)


def test_invalid_expose_clean() -> None:
    clean("DKL508", "FROM a\nEXPOSE 80 443/tcp 53/udp 8000-8010 9000/sctp 80/TCP 8080:80 $PORT\n")


# =========================================================================== DKL509


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nSTOPSIGNAL ⟨SIGTERMINATE⟩\n",
        "FROM a\nSTOPSIGNAL ⟨0⟩\n",
        "FROM a\nSTOPSIGNAL ⟨SIGTERM now⟩\n",
        "FROM a\nARG SIG=NOPE\nSTOPSIGNAL ⟨$SIG⟩\n",
    ],
)
def test_invalid_signal_flagged(marked: str) -> None:
    check("DKL509", marked)


@pytest.mark.parametrize("value", ["SIGTERM", "TERM", "sigquit", "9", "SIGRTMIN+3", "$SIG"])
def test_invalid_signal_clean(value: str) -> None:
    clean("DKL509", f"FROM a\nSTOPSIGNAL {value}\n")


# =========================================================================== DKL510


def test_shell_form_shell_becomes_json() -> None:
    roundtrip(
        "DKL510",
        "FROM a\nSHELL ⟨/bin/bash -o pipefail -c⟩\n",
        'FROM a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n',
    )


def test_empty_shell_and_quoted_shell_form() -> None:
    check("DKL510", "FROM a\nSHELL ⟨[]⟩\n")
    (f,) = check("DKL510", "FROM a\nSHELL ⟨bash -c 'x'⟩\n")
    assert not f.fixes


def test_shell_in_malformed_json_is_an_error() -> None:
    # BuildKit: "SHELL requires the arguments to be in JSON form" (no shell-form fallback).
    check("DKL510", "FROM a\nSHELL ⟨['bash', '-c']⟩\n")
    check("DKL510", 'FROM a\nSHELL ⟨["sh" "-c"]⟩\n')


def test_shell_clean() -> None:
    clean("DKL510", 'FROM a\nSHELL ["powershell", "-Command"]\n')


# =========================================================================== DKL511


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nONBUILD ⟨ONBUILD⟩ RUN x\n",
        "FROM a\nONBUILD ⟨FROM⟩ node\n",
        "FROM a\nONBUILD ⟨maintainer⟩ me\n",
    ],
)
def test_invalid_onbuild_flagged(marked: str) -> None:
    check("DKL511", marked)


def test_invalid_onbuild_clean() -> None:
    clean("DKL511", "FROM a\nONBUILD COPY . /app\nONBUILD RUN npm ci\n")


# =========================================================================== DKL512


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nENV A=⟨${B:0:3}⟩\n",
        "FROM a\nCOPY ⟨${#X}⟩ /y/\n",
        "FROM a\nLABEL a=x-⟨${b^^}⟩\n",
        "FROM a\nWORKDIR /⟨${}⟩\n",
        "FROM a\nENV A=⟨${B:-x⟩\n",
        "FROM ⟨${!BASE}⟩\n",
        "FROM a\nCOPY --chown=⟨${U,,}⟩ a /b/\n",
    ],
)
def test_invalid_substitution_flagged(marked: str) -> None:
    check("DKL512", marked)


def test_copy_heredoc_bodies_are_expanded() -> None:
    # BuildKit: 'failed to process "${A:0:1}\n": unsupported modifier (:0) in substitution'
    check("DKL512", "FROM scratch\nCOPY <<EOF /x\nline\na ⟨${A:0:1}⟩ b\nEOF\n")
    check("DKL512", 'FROM a\nADD <<EOF /x\n"${A}" ⟨${#A}⟩\nEOF\n')


def test_invalid_substitution_message_names_the_form() -> None:
    (f,) = findings("DKL512", "FROM a\nENV A=${B:0:3}\n")
    assert "substring" in f.message and "RUN" in f.message


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nENV A=${B:-x} C=${B-x} D=${B:+y} E=${B+y} F=${B#*.} G=${B##*/} H=${B%.*} "
        "I=${B%%.*} J=${B/a/b} K=${B//a/b} L=${B:?err}\n",
        "FROM a\nRUN echo ${A:0:3} ${#A}\n",
        'FROM a\nCMD echo "${A^^}"\n',
        "FROM a\nENV A='${B:0:3}'\n",
        "FROM a\nENV A=\\${B:0:3}\n",
        "FROM a\nONBUILD ENV A=${B:0:3}\n",
    ],
)
def test_invalid_substitution_clean(text: str) -> None:
    clean("DKL512", text)


# =========================================================================== DKL513


def test_several_sources_need_a_directory() -> None:
    roundtrip("DKL513", "FROM a\nCOPY a b ⟨/dest⟩\n", "FROM a\nCOPY a b /dest/\n")


def test_several_sources_with_a_heredoc_source_need_a_directory() -> None:
    roundtrip(
        "DKL513",
        "FROM a\nCOPY <<EOF b ⟨/dest⟩\nx\nEOF\n",
        "FROM a\nCOPY <<EOF b /dest/\nx\nEOF\n",
    )


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nCOPY a b /dest/\n",
        "FROM a\nCOPY a b .\n",
        "FROM a\nCOPY a b ..\n",
        "FROM a\nCOPY a /dest\n",
        'FROM a\nCOPY ["a", "b", "/c"]\n',
        "FROM a\nCOPY a b $DEST\n",
        # a heredoc where the destination goes: no path to end with / (BuildKit rejects it)
        "FROM a\nCOPY a b <<EOF\nx\nEOF\n",
        "FROM a\nCOPY a <<A <<-B\nx\nA\n\ty\n\tB\n",
    ],
)
def test_several_sources_clean(text: str) -> None:
    clean("DKL513", text)


# =========================================================================== DKL514


@pytest.mark.parametrize(
    "marked",
    [
        'FROM a\nENV A=⟨"unterminated⟩\n',
        "FROM a\nLABEL d=⟨'x⟩\n",
        "FROM a\nENV MSG don⟨'t panic⟩\n",
        'FROM a\nCOPY ⟨"a⟩ b /c/\n',
        "ARG X=⟨'oops⟩\nFROM a\n",
    ],
)
def test_unterminated_quote_flagged(marked: str) -> None:
    check("DKL514", marked)


@pytest.mark.parametrize(
    "text",
    [
        'FROM a\nENV A="it\'s fine"\n',
        'FROM a\nRUN echo "unterminated\n',
        "FROM a\nLABEL a=\"x\" b='y'\n",
    ],
)
def test_unterminated_quote_clean(text: str) -> None:
    clean("DKL514", text)


# =========================================================================== DKL515


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nONBUILD COPY ⟨.⟩\n",
        "FROM a\nONBUILD COPY --⟨form⟩=x a /b/\n",
        "FROM a\nONBUILD HEALTHCHECK --interval=⟨5⟩ CMD true\n",
        "FROM a\nONBUILD SHELL ⟨bash -c⟩\n",
        "FROM a\nUSER app ⟨user⟩\n",
        "FROM a\nUSER app ⟨user⟩\nUSER root\nRUN true\n",
    ],
)
def test_fails_after_build_flagged(marked: str) -> None:
    (f,) = check("DKL515", marked)
    assert f.severity == Severity.WARNING


def test_fails_after_build_keeps_the_fix() -> None:
    text = "FROM a\nONBUILD SHELL bash -c\n"
    assert fixed("DKL515", text) == 'FROM a\nONBUILD SHELL ["bash", "-c"]\n'


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nONBUILD COPY . /app/\nONBUILD RUN --mount=type=cache,target=/x true\n",
        "FROM a\nUSER app user\nRUN true\n",  # the build fails: DKL502's
        "FROM a\nUSER app\n",
    ],
)
def test_fails_after_build_clean(text: str) -> None:
    clean("DKL515", text)


# =========================================================================== DKL520


def test_stage_name_is_lowercased_everywhere() -> None:
    roundtrip(
        "DKL520",
        "FROM golang:1.22 AS ⟨Builder⟩\nFROM Builder AS test\nFROM alpine\n"
        "COPY --from=Builder /app /app\nRUN --mount=from=BUILDER,target=/x true\n",
        "FROM golang:1.22 AS builder\nFROM builder AS test\nFROM alpine\n"
        "COPY --from=builder /app /app\nRUN --mount=from=builder,target=/x true\n",
    )


def test_stage_name_lowercase_clean() -> None:
    clean("DKL520", "FROM golang:1.22 AS builder\nFROM alpine\nCOPY --from=builder /a /a\n")


# =========================================================================== DKL521


def test_as_follows_the_case_of_from() -> None:
    roundtrip("DKL521", "FROM node:20 ⟨as⟩ build\n", "FROM node:20 AS build\n")
    roundtrip("DKL521", "from node:20 ⟨AS⟩ build\n", "from node:20 as build\n")


@pytest.mark.parametrize(
    "text", ["FROM node AS b\n", "from node as b\n", "From node as b\n", "FROM node\n"]
)
def test_as_casing_clean(text: str) -> None:
    clean("DKL521", text)


# =========================================================================== DKL522


def test_empty_continuation_line_is_removed() -> None:
    roundtrip(
        "DKL522",
        "FROM a\nRUN apt-get update && \\\n⟨⟩\n    apt-get install -y curl\n",
        "FROM a\nRUN apt-get update && \\\n    apt-get install -y curl\n",
    )


def test_consecutive_blank_lines_are_one_finding() -> None:
    roundtrip(
        "DKL522",
        "FROM a\nRUN a \\\n⟨  \n⟩\n  && b\n",
        "FROM a\nRUN a \\\n  && b\n",
    )


def test_empty_continuation_at_the_end_of_the_file() -> None:
    # BuildKit warns here too: the continuation takes the empty line before the file ends.
    roundtrip("DKL522", "FROM a\nRUN a \\\n⟨⟩\n", "FROM a\nRUN a \\\n")
    roundtrip("DKL522", "FROM a\nRUN a \\\n  # note\n⟨  ⟩\n", "FROM a\nRUN a \\\n  # note\n")


def test_empty_continuation_with_crlf() -> None:
    text = "FROM a\r\nRUN a \\\r\n\r\n  && b\r\n"
    assert fixed("DKL522", text) == "FROM a\r\nRUN a \\\r\n  && b\r\n"


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nRUN <<EOF\napt-get update\n\napt-get install -y x\nEOF\n",
        "FROM a\nRUN a \\\n# comment\n  && b\n",
        "FROM a\nRUN a \\\n",
        "FROM a\n\nRUN a\n\nRUN b\n",
    ],
)
def test_empty_continuation_clean(text: str) -> None:
    clean("DKL522", text)


# =========================================================================== DKL523


def test_minority_case_keyword_is_fixed() -> None:
    roundtrip(
        "DKL523",
        "FROM alpine\n⟨run⟩ echo\nCOPY a /b\n",
        "FROM alpine\nRUN echo\nCOPY a /b\n",
    )
    roundtrip("DKL523", "from alpine\nrun x\n⟨COPY⟩ a /b\n", "from alpine\nrun x\ncopy a /b\n")


def test_mixed_case_keyword_is_flagged() -> None:
    (f,) = check("DKL523", "FROM a\nRUN x\n⟨Expose⟩ 80\n")
    assert "uppercase" in f.message


@pytest.mark.parametrize("text", ["from a\nrun x\n", "FROM a\nRUN x\nONBUILD run y\n"])
def test_instruction_casing_clean(text: str) -> None:
    clean("DKL523", text)


# =========================================================================== DKL524, DKL525


def test_duplicate_stage_name() -> None:
    (f,) = check("DKL524", "FROM a AS build\nFROM b AS ⟨Build⟩\n")
    assert f.related and "line 1" in f.message
    clean("DKL524", "FROM a AS build\nFROM b AS test\n")


def test_reserved_stage_names() -> None:
    check("DKL525", "FROM a AS ⟨scratch⟩\nFROM b AS ⟨Context⟩\n")
    clean("DKL525", "FROM a AS app-context\nFROM scratch\n")


# =========================================================================== DKL526


def test_maintainer_becomes_a_label() -> None:
    (f,) = check("DKL526", "FROM a\n⟨MAINTAINER⟩ Jane Doe <jane@example.com>\n")
    assert Tag.DEPRECATED in f.tags
    assert fixed("DKL526", "FROM a\nMAINTAINER Jane Doe <jane@example.com>\n") == (
        'FROM a\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\n'
    )


def test_maintainer_fix_escapes_quotes_and_dollars() -> None:
    new = fixed("DKL526", 'FROM a\nmaintainer Sagar <"k$x">\n')
    assert new == 'FROM a\nlabel org.opencontainers.image.authors="Sagar <\\"k\\$x\\">"\n'
    clean("DKL526", new)
    assert process_word('"Sagar <\\"k\\$x\\">"', {}).value == 'Sagar <"k$x">'


def test_maintainer_clean() -> None:
    clean("DKL526", 'FROM a\nLABEL org.opencontainers.image.authors="me"\n')


# =========================================================================== DKL527


def test_undeclared_arg_in_from_typo() -> None:
    roundtrip(
        "DKL527",
        "ARG NODE_VERSION=20\nFROM node:⟨${NODE_VERSON}⟩-alpine\n",
        "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine\n",
    )


def test_undeclared_arg_in_from_without_candidates() -> None:
    (f,) = check("DKL527", "FROM ⟨$BASE⟩\n")
    assert not f.fixes
    check("DKL527", "FROM --platform=⟨$PLATFORM⟩ alpine\n")


@pytest.mark.parametrize(
    "text",
    [
        "ARG BASE=alpine\nFROM $BASE\n",
        "FROM --platform=$BUILDPLATFORM golang\n",
        "ARG BASE\nFROM ${BASE}\n",
        "FROM alpine\nARG LATE\nFROM x-$LATE\n",
    ],
)
def test_undeclared_arg_in_from_clean(text: str) -> None:
    if "LATE" in text:
        check("DKL527", "FROM alpine\nARG LATE\nFROM x-⟨$LATE⟩\n")
    else:
        clean("DKL527", text)


# =========================================================================== DKL528


def test_relative_workdir() -> None:
    check("DKL528", "FROM node:20\nWORKDIR ⟨app⟩\n")
    check("DKL528", "FROM node:20\nARG D=srv\nWORKDIR ⟨$D⟩\n")


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nWORKDIR /app\nWORKDIR src\n",
        "FROM x AS base\nWORKDIR /app\nFROM base\nWORKDIR src\n",
        "# escape=`\nFROM a\nWORKDIR C:\\app\n",
        "FROM a\nWORKDIR C:/app\n",
        "FROM a\nWORKDIR $HOME/app\n",
        "FROM a\nARG D=/srv\nWORKDIR $D\n",
        "FROM a\nONBUILD WORKDIR app\n",
    ],
)
def test_relative_workdir_clean(text: str) -> None:
    clean("DKL528", text)


# =========================================================================== DKL529


def test_global_arg_not_redeclared_gets_declared() -> None:
    roundtrip(
        "DKL529",
        "ARG VERSION=1\nFROM alpine:3.20\nCOPY app-⟨${VERSION}⟩.jar /app.jar\n",
        "ARG VERSION=1\nFROM alpine:3.20\nARG VERSION\nCOPY app-${VERSION}.jar /app.jar\n",
    )


def test_only_the_first_use_declares_the_arg() -> None:
    first, second = check(
        "DKL529",
        "ARG VERSION=1\nFROM alpine:3.20\nCOPY app-⟨$VERSION⟩.jar /app.jar\n"
        "COPY app-⟨$VERSION⟩.pom /app.pom\n",
    )
    assert first.fixes and not second.fixes
    assert first.related[0].message == "declared here, before the first FROM"


def test_platform_arg_needs_declaring() -> None:
    roundtrip(
        "DKL529",
        "FROM alpine\n  copy ⟨$TARGETARCH⟩/bin /bin/\n",
        "FROM alpine\n  arg TARGETARCH\n  copy $TARGETARCH/bin /bin/\n",
    )


def test_misspelled_variable() -> None:
    roundtrip(
        "DKL529",
        "FROM a\nENV NODE_VERSION=1\nENV X=⟨$NODE_VERSON⟩\n",
        "FROM a\nENV NODE_VERSION=1\nENV X=$NODE_VERSION\n",
    )


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a AS one\nARG APP=x\nFROM b\nWORKDIR /src/⟨$APP⟩\n",
        "FROM scratch\nCOPY ⟨$BIN⟩ /bin/\n",
        "FROM a\nCOPY ⟨$LATER⟩ /x/\nARG LATER=1\n",
        "FROM a\nRUN --mount=type=cache,target=⟨$TARGETARCH⟩ true\n",
    ],
)
def test_undefined_variable_flagged(marked: str) -> None:
    check("DKL529", marked)


def test_copy_heredoc_bodies_are_checked() -> None:
    # BuildKit expands a COPY/ADD heredoc body and reports "Usage of undefined variable"
    check("DKL529", "FROM scratch\nCOPY <<EOF /x\nhi ⟨$NAME⟩, 'don't' ⟨${OTHER}⟩ \\$NOT\nEOF\n")
    roundtrip(
        "DKL529",
        "ARG V=1\nFROM a\nCOPY <<EOF /x\nv=⟨${V}⟩ ${W:-w}\nEOF\n",
        "ARG V=1\nFROM a\nARG V\nCOPY <<EOF /x\nv=${V} ${W:-w}\nEOF\n",
    )


def test_proxy_args_are_only_predefined_in_run() -> None:
    # BuildKit: "Usage of undefined variable '$HTTP_PROXY'" outside RUN
    check("DKL529", "FROM scratch\nCOPY --chown=⟨$HTTP_PROXY⟩ a /b/\n")


@pytest.mark.parametrize(
    "text",
    [
        "FROM node:20\nENV PATH=/app/bin:$PATH\nWORKDIR $HOME\n",
        "FROM a\nENV LD_LIBRARY_PATH=$LD_LIBRARY_PATH:/x\n",
        "FROM a AS one\nENV LD_LIBRARY_PATH=/x\nFROM b\nENV LD_LIBRARY_PATH=$LD_LIBRARY_PATH:/y\n",
        "ARG VERSION=1\nFROM alpine\nCOPY ${VERSION:-1}.jar /app/\n",
        "FROM a\nRUN echo $UNDEFINED\n",
        "FROM a\nARG A=1 B=$A\n",
        "ARG VERSION=1\nFROM alpine\nARG VERSION\nCOPY app-$VERSION.jar /x\n",
        "FROM a AS base\nARG APP=x\nFROM base\nWORKDIR /src/$APP\n",
        "FROM a\nCOPY --chown=$HTTP_PROXY a /b/\n",  # no ARG in the file: the base's ENV?
        "FROM a\nONBUILD COPY $X /y/\n",
    ],
)
def test_undefined_variable_clean(text: str) -> None:
    clean("DKL529", text)


@pytest.mark.parametrize("name", ["VIRTUAL_EN\x03", "VIRTUAL_EN🐳"])
def test_undefined_variable_suggests_only_names_a_reference_can_spell(name: str) -> None:
    # `$VIRTUAL_EN🐳` reads as `$VIRTUAL_EN`: such a name is never suggested.
    clean("DKL529", f'FROM a\nENV {name}=/v\nENV PATH="$VIRTUAL_ENV/bin"\n')
    text = f'FROM a\nENV {name}=/v VIRTUAL_EM=/w\nENV PATH="⟨$VIRTUAL_ENV⟩/bin"\n'
    (f,) = check("DKL529", text)
    assert "'VIRTUAL_EM'" in f.message and name not in f.message
    assert fixed("DKL529", extract(text)[0]).endswith('ENV PATH="$VIRTUAL_EM/bin"\n')


# =========================================================================== DKL530


def test_superseded_cmd_is_removed() -> None:
    (f,) = check("DKL530", 'FROM a\n⟨CMD ["npm", "run", "dev"]⟩\nCMD ["node", "server.js"]\n')
    assert Tag.UNNECESSARY in f.tags and f.related
    new = fixed("DKL530", 'FROM a\nCMD ["npm", "run", "dev"]\nCMD ["node", "server.js"]\n')
    assert new == 'FROM a\nCMD ["node", "server.js"]\n'
    clean("DKL530", new)


def test_superseded_multiline_healthcheck_and_entrypoint() -> None:
    check(
        "DKL530",
        'FROM a\n⟨HEALTHCHECK CMD \\\n  true⟩\n⟨ENTRYPOINT ["a"]⟩\nHEALTHCHECK NONE\n'
        'ENTRYPOINT ["b"]\n',
    )
    text = "FROM a\nHEALTHCHECK CMD \\\n  true\nHEALTHCHECK NONE\n"
    assert fixed("DKL530", text) == "FROM a\nHEALTHCHECK NONE\n"


@pytest.mark.parametrize(
    "text",
    [
        'FROM a\nCMD ["a"]\nFROM b\nCMD ["b"]\n',
        'FROM a\nONBUILD CMD ["a"]\nCMD ["b"]\n',
        'FROM a\nCMD ["a"]\nENTRYPOINT ["b"]\n',
    ],
)
def test_superseded_clean(text: str) -> None:
    clean("DKL530", text)


# =========================================================================== DKL531


def test_legacy_env_single_word() -> None:
    roundtrip("DKL531", "FROM a\nENV ⟨NODE_ENV⟩ production\n", "FROM a\nENV NODE_ENV=production\n")


def test_legacy_env_several_words_are_quoted() -> None:
    text = "FROM a\nENV JAVA_OPTS -Xms256m  -Xmx1g $EXTRA\n"
    new = fixed("DKL531", text)
    assert new == 'FROM a\nENV JAVA_OPTS="-Xms256m  -Xmx1g $EXTRA"\n'
    clean("DKL531", new)
    old_value = parse(text).instructions[1].pairs[0].raw_value
    new_value = parse(new).instructions[1].pairs[0].raw_value
    assert old_value is not None and new_value is not None
    env = {"EXTRA": "-x"}
    assert process_word(old_value.text, env).value == process_word(new_value.text, env).value


def test_legacy_label_quoted_value_is_kept() -> None:
    roundtrip(
        "DKL531",
        'FROM a\nLABEL ⟨maintainer⟩ "Jane Doe"\n',
        'FROM a\nLABEL maintainer="Jane Doe"\n',
    )


def test_legacy_without_a_safe_rewrite_has_no_fix() -> None:
    (f,) = check("DKL531", 'FROM a\nENV ⟨A⟩ "x" y\n')
    assert not f.fixes


def test_legacy_clean() -> None:
    clean("DKL531", "FROM a\nENV A=1 B=2\nLABEL a=b\nARG C\n")


# =========================================================================== DKL532


def test_redundant_target_platform_is_removed() -> None:
    roundtrip(
        "DKL532",
        "FROM ⟨--platform=$TARGETPLATFORM⟩ alpine:3.20\n",
        "FROM alpine:3.20\n",
    )
    roundtrip(
        "DKL532",
        "FROM ⟨--platform=${TARGETPLATFORM}⟩ alpine:3.20 AS x\n",
        "FROM alpine:3.20 AS x\n",
    )


def test_redundant_target_platform_clean() -> None:
    clean("DKL532", "FROM --platform=$BUILDPLATFORM golang\n")


# =========================================================================== DKL533


def test_invalid_default_arg_in_from() -> None:
    (f,) = check("DKL533", "ARG NODE_VERSION\nFROM ⟨node:${NODE_VERSION}⟩\n")
    assert "'node:'" in f.message and f.related[0].message == "ARG NODE_VERSION has no default"
    check("DKL533", "ARG BASE\nFROM ⟨$BASE⟩\n")
    check("DKL533", "ARG REPO=My/App\nFROM ⟨${REPO}:1⟩\n")


@pytest.mark.parametrize(
    "text",
    [
        "ARG V=20\nFROM node:${V}\n",
        "ARG VARIANT\nFROM python:3.12${VARIANT}\n",
        "ARG BASE\nFROM ${BASE:-alpine}\n",
        "FROM golang:1.22-${TARGETARCH}\n",
        "FROM $UNDECLARED\n",
    ],
)
def test_invalid_default_arg_in_from_clean(text: str) -> None:
    clean("DKL533", text)


# =========================================================================== DKL534


def test_constant_platform() -> None:
    check("DKL534", "FROM --platform=⟨linux/amd64⟩ node:20\n")
    clean("DKL534", "FROM --platform=linux/amd64 node:20 AS build-amd64\n")
    clean("DKL534", "FROM --platform=linux/arm64 node:20 AS linux-tools\n")
    clean("DKL534", "FROM --platform=$BUILDPLATFORM node:20\n")


# =========================================================================== DKL535


def _ignoring(patterns: str) -> BuildContext:
    return BuildContext(
        known=True,
        dockerignore=DockerIgnore.parse(patterns),
        dockerignore_path="/ctx/.dockerignore",
    )


def test_copy_of_ignored_file() -> None:
    f, g = check(
        "DKL535", "FROM a\nCOPY ⟨README.md⟩ ⟨./docs/a.md⟩ /docs/\n", _ignoring("*.md\ndocs\n")
    )
    assert "line 1: *.md" in f.message and "line 2: docs" in g.message


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("FROM a AS b\nFROM c\nCOPY --from=b README.md /x/\n", _ignoring("*.md\n")),
        ("FROM a\nCOPY . /app/\n", _ignoring("*.md\n")),
        ("FROM a\nCOPY README.md /x/\n", BuildContext(known=False)),
        ("FROM a\nCOPY README.md /x/\n", _ignoring("*.md\n!README.md\n")),
        ("FROM a\nADD https://example.com/README.md /y\n", _ignoring("*.md\n")),
        ("FROM a\nCOPY $DOC /y/\n", _ignoring("*.md\n")),
    ],
)
def test_copy_of_ignored_file_clean(text: str, context: BuildContext) -> None:
    clean("DKL535", text, context)


# =========================================================================== DKL536, DKL537


def test_expose_protocol_casing() -> None:
    roundtrip("DKL536", "FROM a\nEXPOSE 80/⟨TCP⟩ 53/⟨Udp⟩\n", "FROM a\nEXPOSE 80/tcp 53/udp\n")
    clean("DKL536", "FROM a\nEXPOSE 80/tcp 53 80/XYZ\n")  # 80/XYZ is DKL508's


def test_expose_host_mapping() -> None:
    roundtrip(
        "DKL537",
        "FROM a\nEXPOSE ⟨8080:80⟩ ⟨127.0.0.1:5353:53/udp⟩\n",
        "FROM a\nEXPOSE 80 53/udp\n",
    )
    clean("DKL537", "FROM a\nEXPOSE 80 443/tcp abc:80\n")  # abc:80 is DKL508's


# =========================================================================== check=error=true


def test_check_error_true_makes_buildkit_checks_errors() -> None:
    text = "# check=skip=FromAsCasing;error=true\nFROM node:20 as build\nENV A 1\nCMD node x\n"
    result = analyze(text, Settings(select=("all",)))
    assert errors_requested(result.document)
    escalated = {
        f.code: f.severity for f in escalate_checks(result.findings, result.document, equivalents())
    }
    assert "DKL521" not in escalated  # skipped stays skipped
    assert escalated["DKL531"] == Severity.ERROR
    assert escalated["DKL407"] == Severity.ERROR  # JSONArgsRecommended
    assert escalated["DKL401"] == Severity.WARNING  # no BuildKit equivalent


def test_without_error_true_nothing_changes() -> None:
    result = analyze("# check=error=false\nFROM a\nENV A 1\n")
    assert not errors_requested(result.document)
    assert list(escalate_checks(result.findings, result.document, equivalents())) == list(
        result.findings
    )


def test_check_skip_silences_buildkit_names() -> None:
    assert not findings("DKL531", "# check=skip=LegacyKeyValueFormat\nFROM a\nENV A 1\n")


# =========================================================================== the family


def test_every_rule_is_documented_and_mapped() -> None:
    for number in [*range(501, 515), *range(520, 538)]:
        rule = lookup(f"DKL{number}")
        assert rule is not None
        assert rule.category in (Category.CORRECTNESS, Category.STYLE)
        assert rule.docs.what and rule.docs.why and rule.docs.references
        if number >= 520:
            assert rule.buildkit, rule.code
        elif rule.severity != Severity.ERROR:
            assert rule.code in ("DKL507", "DKL513")


@pytest.mark.parametrize("path", corpus_params())
def test_no_false_builder_error_on_real_dockerfiles(path: Path) -> None:
    """Every corpus file builds, so no correctness rule may call it an error.

    The corpus README lists no deliberately broken files, so there is no exception.
    """
    for f in analyze(read(path)).findings:
        rule = lookup(f.code)
        if rule is not None and rule.category == Category.CORRECTNESS:
            assert f.severity != Severity.ERROR, (f.code, f.span, f.message)


# =========================================================================== traps and positions


@pytest.mark.parametrize(
    ("value", "fields"),
    [
        ("type=cache,target=/x", ["type=cache", "target=/x"]),
        ('type=bind,"source=a,b",ro', ["type=bind", "source=a,b", "ro"]),
        ('"a""b"', ['a"b']),
        ('type=cache,target="x', None),
        ('"open', None),
        ('"a"b', None),
    ],
)
def test_mount_fields_read_like_go_csv(value: str, fields: list[str] | None) -> None:
    from dockerls.rules.correctness import mount_fields

    assert mount_fields(value) == fields


def test_positions_on_continuation_lines() -> None:
    check("DKL504", "FROM a\nCOPY \\\n  --⟨form⟩=x \\\n  a /b/\n")
    check(
        "DKL529",
        "ARG VERSION=1\nFROM scratch\nCOPY \\\n    app-⟨$VERSION⟩.jar \\\n    /app.jar\n",
    )
    check("DKL512", "FROM a\nENV A=1 \\\n    B=⟨${A:0:1}⟩\n")


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("DKL529", "FROM scratch\nCOPY <<'EOF' /x\n$UNDEFINED\nEOF\n"),
        ("DKL529", "FROM scratch\nRUN <<EOF\necho $UNDEFINED\nEOF\n"),
        ("DKL512", "FROM scratch\nCOPY <<'EOF' /x\n${A:0:1}\nEOF\n"),
        ("DKL512", "FROM scratch\nCOPY <<EOF /x\n\\${A:0:1} don't ${B:-x}\nEOF\n"),
        ("DKL512", 'FROM a\nRUN ["echo", "${A:0:3}"]\n'),
        ("DKL512", "FROM a\nRUN <<EOF\necho ${A:0:3}\nEOF\n"),
        ("DKL514", 'FROM a\nRUN <<EOF\necho "open\nEOF\n'),
        ("DKL504", "FROM a\nRUN <<EOF\n--not-a-flag\nEOF\n"),
        ("DKL502", "FROM a\nCOPY <<EOF /etc/app.conf\nkey=value\nEOF\n"),
    ],
)
def test_heredoc_and_exec_form_bodies_are_left_alone(code: str, text: str) -> None:
    clean(code, text)


def test_backtick_escape_is_honoured() -> None:
    clean("DKL514", '# escape=`\nFROM a\nENV A=x`"y\n')
    clean("DKL514", '# escape=`\nFROM a\nENV A="x\\"\n')
    check("DKL514", 'FROM a\nENV A=⟨"x\\"⟩\n')


def test_plain_words_take_the_fast_path_with_the_lexers_result() -> None:
    from dockerls.rules.correctness import Processed, _Lexer, process_word

    for word in ("node:20", "/app", "a=b", "--flag", "", "é🐳"):
        assert process_word(word, {}) == Processed(
            _Lexer(word, {}, "\\", False).until(""), (), None
        )
    assert process_word("$A", {"A": "1"}).value == "1"
    assert process_word("'x y'", {}).value == "x y"
    assert process_word("a`b", {}, "`").value == "ab"
