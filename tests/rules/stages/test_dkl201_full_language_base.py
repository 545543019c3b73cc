"""DKL201 full-language-base: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, fixed
from tests.rules.stages.fix_titles import titles
from tests.rules.stages.rule_codes import FULL


def test_full_base_flags_the_tag_with_sizes_and_alternatives() -> None:
    (f,) = check(FULL, 'FROM node:⟨20⟩\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n')
    assert "`node:20` is a full base image" in f.message
    assert "MB" in f.message and "linux/amd64" in f.message
    assert "`node:20-slim`" in f.message and "`node:20-alpine`" in f.message


def test_full_base_without_tag_flags_the_repository() -> None:
    check(FULL, "FROM ⟨python⟩\nCOPY app.py /\n")


def test_full_base_through_a_from_chain_points_at_the_root_image() -> None:
    (f,) = check(FULL, "FROM ruby:⟨3.3⟩ AS base\nWORKDIR /app\n\nFROM base\nCOPY . .\n")
    assert [r.span.start.line for r in f.related] == [3]


@pytest.mark.parametrize(
    "text",
    [
        "FROM node:20-slim\n",
        "FROM node:20-alpine\n",
        "FROM python:3.12-slim-bookworm\n",
        "FROM eclipse-temurin:17-jre\n",
        "FROM gcr.io/distroless/nodejs20-debian12\n",
        "FROM registry.example.com/team/base:1\n",
        "FROM scratch\nCOPY app /\n",
        # a full image used only to build
        "FROM golang:1.22 AS build\nRUN go build -o /app .\n"
        "FROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\n",
        # ARG without a default: unknown
        "ARG BASE\nFROM ${BASE}\n",
        "FROM\n",
    ],
)
def test_full_base_clean(text: str) -> None:
    clean(FULL, text)


def test_full_base_fixes_keep_the_version_and_are_not_safe() -> None:
    text = 'FROM node:20\nCOPY . .\nCMD ["node", "server.js"]\n'
    got = titles(FULL, text)
    assert got[0][0].startswith("Switch base to node:20-slim (") and not got[0][1]
    assert got[1][0].startswith("Switch base to node:20-alpine (musl") and not got[1][1]
    out = fixed(FULL, text)
    assert out == 'FROM node:20-slim\nCOPY . .\nCMD ["node", "server.js"]\n'
    clean(FULL, out)
    assert fixed(FULL, text, index=1).startswith("FROM node:20-alpine\n")


def test_full_base_fix_keeps_an_arg_in_the_tag() -> None:
    text = "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}\nCMD node\n"
    check(FULL, "ARG NODE_VERSION=20\nFROM node:⟨${NODE_VERSION}⟩\nCMD node\n")
    out = fixed(FULL, text)
    assert out == "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-slim\nCMD node\n"
    clean(FULL, out)


def test_full_base_fix_replaces_a_digest_pinned_reference() -> None:
    text = "FROM node:20@sha256:" + "a" * 64 + "\nCMD node\n"
    assert fixed(FULL, text) == "FROM node:20-slim\nCMD node\n"


def test_full_base_offers_only_variants_that_can_run_what_the_stage_does() -> None:
    # a single-stage Go build cannot switch to distroless or scratch
    text = "FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n"
    assert [t for t, _ in titles(FULL, text)] == [
        "Switch base to golang:1.22-alpine (still the whole Go toolchain, just on musl: a "
        "multi-stage build saves far more)"
    ]
    # nothing to run: a JRE or distroless image works
    jar = (
        'FROM eclipse-temurin:17\nCOPY app.jar /app.jar\nENTRYPOINT ["java", "-jar", "/app.jar"]\n'
    )
    assert any("distroless" in t for t, _ in titles(FULL, jar))
