"""DKL405 add-for-local-files: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, findings, fixed

ADD = "DKL405"


def test_add_local_flagged_and_fixed() -> None:
    text = "FROM python:3.12-slim\nADD . /app\n"
    check(ADD, "FROM python:3.12-slim\n⟨ADD⟩ . /app\n")
    new = fixed(ADD, text)
    assert new == "FROM python:3.12-slim\nCOPY . /app\n"
    clean(ADD, new)


@pytest.mark.parametrize(("keyword", "copy"), [("add", "copy"), ("Add", "Copy"), ("ADD", "COPY")])
def test_add_fix_keeps_the_keyword_case(keyword: str, copy: str) -> None:
    assert fixed(ADD, f"FROM a:1\n{keyword} x /x\n") == f"FROM a:1\n{copy} x /x\n"


def test_add_fix_keeps_shared_flags() -> None:
    text = "FROM nginx:1.27\nADD --chown=nginx:nginx --chmod=644 --link conf/ /etc/nginx/\n"
    assert fixed(ADD, text) == text.replace("ADD", "COPY")


@pytest.mark.parametrize(
    "line",
    [
        "⟨ADD⟩ app.zip /opt/",  # ADD does not extract zip files
        "⟨ADD⟩ requirements/ /requirements/",
        '⟨ADD⟩ ["build/app.jar", "/app.jar"]',
        "⟨ADD⟩ <<EOF /etc/motd\nhello\nEOF",
        "⟨ADD⟩ a.txt b.txt /dst/",
        "ONBUILD ⟨ADD⟩ . /app",
    ],
)
def test_add_flagged(line: str) -> None:
    check(ADD, f"FROM alpine:3.20\n{line}\n")


@pytest.mark.parametrize(
    "line",
    [
        "ADD https://example.com/tool.tar.gz /opt/",
        "ADD --checksum=sha256:" + "c" * 64 + " https://example.com/a /a",
        "ADD git@github.com:moby/buildkit.git /src",
        "ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.13 /src",
        "ADD rootfs.tar.xz /",
        "ADD vendor.tgz /vendor/",
        "ADD dist/app.tar.bz2 /srv/",
        "ADD ${URL} /opt/",
        "ARG URL=https://example.com/x\nADD ${URL} /opt/",
        "ADD",  # half typed
    ],
)
def test_add_clean(line: str) -> None:
    clean(ADD, f"FROM alpine:3.20\n{line}\n")


def test_add_fix_in_onbuild_and_for_a_heredoc() -> None:
    text = "FROM alpine:3.20\nONBUILD ADD . /app\nADD <<EOF /etc/motd\nhi\nEOF\n"
    new = fixed(ADD, text)
    assert new == "FROM alpine:3.20\nONBUILD COPY . /app\nCOPY <<EOF /etc/motd\nhi\nEOF\n"
    clean(ADD, new)


def test_add_only_flags_mean_no_fix() -> None:
    (f,) = findings(ADD, "FROM alpine:3.20\nADD --unpack=false ./data /data\n")
    assert not f.fixes
