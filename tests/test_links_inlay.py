"""Document links (image references to registry pages) and inlay hints on FROM lines.

Markers: each ``⟨…⟩`` is the span a link must cover, in document order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerls.analysis import analyze
from dockerls.features.inlay import inlay_hints
from dockerls.features.links import document_links, image_url
from dockerls.syntax import Position, Span, parse
from tests.corpus import corpus_params, read
from tests.markers import extract

EVERYTHING = Span(Position(0, 0), Position(10**6, 0))


def links_of(marked: str) -> tuple[list[tuple[Span, str]], list[Span]]:
    text, spans = extract(marked)
    return document_links(parse(text)), spans


@pytest.mark.parametrize(
    ("image", "url"),
    [
        ("node:20", "https://hub.docker.com/_/node"),
        ("docker.io/library/python:3.12", "https://hub.docker.com/_/python"),
        ("bitnami/redis:7", "https://hub.docker.com/r/bitnami/redis"),
        ("index.docker.io/grafana/grafana", "https://hub.docker.com/r/grafana/grafana"),
        ("ghcr.io/astral-sh/uv:0.5", "https://github.com/orgs/astral-sh/packages?repo_name=uv"),
        ("mcr.microsoft.com/dotnet/sdk:8.0", "https://mcr.microsoft.com/artifact/mar/dotnet/sdk"),
        ("quay.io/prometheus/node-exporter", "https://quay.io/repository/prometheus/node-exporter"),
        (
            "gcr.io/distroless/static-debian12:nonroot",
            "https://github.com/GoogleContainerTools/distroless",
        ),
        ("node@sha256:" + "a" * 64, "https://hub.docker.com/_/node"),
    ],
)
def test_link_per_registry(image: str, url: str) -> None:
    links, spans = links_of(f"FROM ⟨{image}⟩\n")
    assert links == [(spans[0], url)]


@pytest.mark.parametrize(
    "image", ["scratch", "localhost:5000/app", "registry.example.com/a/b", "gcr.io/proj/app"]
)
def test_no_link_for_scratch_and_unknown_registries(image: str) -> None:
    assert document_links(parse(f"FROM {image}\n")) == []
    assert image_url(image) is None


def test_links_for_copy_and_mount_sources() -> None:
    links, spans = links_of(
        "FROM ⟨alpine⟩ AS build\n"
        "COPY --from=⟨ghcr.io/astral-sh/uv:0.5⟩ /uv /uv\n"
        "RUN --mount=type=bind,from=⟨quay.io/a/b⟩,target=/x true\n"
    )
    assert [s for s, _ in links] == spans


def test_no_links_for_stage_references_or_unexpanded_variables() -> None:
    text = (
        "ARG V=20\n"
        "FROM node:${V} AS build\n"
        "FROM build AS test\n"
        "COPY --from=build /a /b\n"
        "COPY --from=0 /a /b\n"
        "COPY --from=$IMG /a /b\n"
        "RUN --mount=from=Build,target=/x true\n"
    )
    assert document_links(parse(text)) == []


def test_links_never_raise_on_half_typed_input() -> None:
    for text in ["FROM", "FROM \n", "COPY --from= a b\n", "FROM :\n", "RUN --mount=from\n"]:
        document_links(parse(text))


# --------------------------------------------------------------------------- inlay hints


def test_resolved_arg_in_from() -> None:
    text = "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION} AS build\n"
    hints = inlay_hints(analyze(text), EVERYTHING)
    assert hints[0][0] == Position(1, len("FROM node:${NODE_VERSION}"))
    assert hints[0][1] == "= node:20"
    assert "NODE_VERSION" in hints[0][2]


def test_no_resolved_hint_without_variables_or_without_default() -> None:
    assert [h for h in inlay_hints(analyze("FROM node:20\n"), EVERYTHING) if "=" in h[1]] == []
    hints = inlay_hints(analyze("ARG V\nFROM node:${V}\n"), EVERYTHING)
    assert hints == []


def test_base_image_size_after_the_from_line() -> None:
    text = "FROM node:20 AS build\nRUN true\n"
    hints = inlay_hints(analyze(text), EVERYTHING)
    assert len(hints) == 1
    position, label, tooltip = hints[0]
    assert position == Position(0, len("FROM node:20 AS build"))
    assert label.startswith("~") and label.endswith(" MB")
    assert "linux/amd64" in tooltip and "measured on" in tooltip


def test_a_base_known_only_by_its_pull_size_says_compressed() -> None:
    # The data has only golang's compressed size: the hint must not pass it off as the
    # uncompressed unit `docker images` prints, which every other hint uses.
    ((_, label, tooltip),) = inlay_hints(analyze("FROM golang:1.22\n"), EVERYTHING)
    assert label.endswith(" MB compressed") and "compressed" in tooltip
    ((_, label, _),) = inlay_hints(analyze("FROM debian:12-slim\n"), EVERYTHING)
    assert label == "~74.8 MB"


def test_no_size_for_stage_bases_scratch_or_unknown_images() -> None:
    text = "FROM node:20 AS build\nFROM build\nFROM scratch\nFROM example.com/unknown/img\n"
    hints = inlay_hints(analyze(text), EVERYTHING)
    assert [h[0].line for h in hints] == [0]


def test_range_filters_hints() -> None:
    text = "FROM node:20\nFROM python:3.12-slim\n"
    analysis = analyze(text)
    assert len(inlay_hints(analysis, EVERYTHING)) == 2
    only_second = inlay_hints(analysis, Span(Position(1, 0), Position(1, 100)))
    assert [h[0].line for h in only_second] == [1]


# --------------------------------------------------------------------------- never raises


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "FROM ", "node:20", "ghcr.io/a/b", " AS ", "b", "\n", "ARG V=1\n", "${V}",
                "COPY --from=", "RUN --mount=from=", ",", "$", "@sha256:", "\\\n", ":",
            ]
        )
        | st.text(max_size=4),
        max_size=20,
    ).map("".join),
    st.integers(0, 5),
    st.integers(0, 5),
)  # fmt: skip
def test_never_raises(text: str, start: int, end: int) -> None:
    document_links(parse(text))
    inlay_hints(analyze(text), Span(Position(start, 0), Position(start + end, 0)))


@pytest.mark.parametrize("path", corpus_params())
def test_corpus(path: Path) -> None:
    text = read(path)
    analysis = analyze(text)
    for span, url in document_links(analysis.document):
        assert url.startswith("https://")
        assert span.start <= span.end
    for position, label, tooltip in inlay_hints(analysis, EVERYTHING):
        assert label and tooltip
        assert 0 <= position.line < max(1, len(analysis.document.lines))
