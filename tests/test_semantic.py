"""Semantic tokens: exact tokens on a small file; sorted, single-line, no overlaps."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerls.features.semantic import TOKEN_TYPES, SemanticToken, semantic_tokens, tokens_in
from dockerls.syntax import Span, parse
from tests.corpus import corpus_params, read

SOURCE = (
    "# syntax=docker/dockerfile:1\n"
    "ARG V=1\n"
    "from node:$V as build\n"
    "# note\n"
    'ENV A="x $V" \\\n'
    "    B=2\n"
    "COPY --from=build <<EOF /a\n"
    "body\n"
    "EOF\n"
    'CMD ["a"]\n'
    "MAINTAINER me\n"
)


def words(text: str) -> list[tuple[int, str, str, tuple[str, ...]]]:
    doc = parse(text)
    return [
        (t.line, doc.lines[t.line][t.start : t.start + t.length], t.type, t.modifiers)
        for t in semantic_tokens(doc)
    ]


def test_exact_tokens() -> None:
    assert words(SOURCE) == [
        (0, "#", "comment", ()),
        (0, "syntax", "macro", ()),
        (0, "docker/dockerfile:1", "string", ()),
        (1, "ARG", "keyword", ()),
        (1, "V", "variable", ("declaration",)),
        (1, "=", "operator", ()),
        (1, "1", "string", ()),
        (2, "from", "keyword", ()),
        (2, "$V", "variable", ()),
        (2, "as", "keyword", ()),
        (2, "build", "namespace", ("declaration",)),
        (3, "# note", "comment", ()),
        (4, "ENV", "keyword", ()),
        (4, "A", "property", ("declaration",)),
        (4, "=", "operator", ()),
        (4, '"x', "string", ()),
        (4, "$V", "variable", ()),
        (4, '"', "string", ()),
        (5, "B", "property", ("declaration",)),
        (5, "=", "operator", ()),
        (5, "2", "string", ()),
        (6, "COPY", "keyword", ()),
        (6, "--from", "parameter", ()),
        (6, "=", "operator", ()),
        (6, "build", "namespace", ()),
        (6, "<<EOF", "operator", ()),
        (7, "body", "string", ()),
        (8, "EOF", "operator", ()),
        (9, "CMD", "keyword", ()),
        (9, '"a"', "string", ()),
        (10, "MAINTAINER", "keyword", ("deprecated",)),
    ]


def test_a_range_keeps_the_whole_tokens_it_touches() -> None:
    doc = parse(SOURCE)
    every = semantic_tokens(doc)

    def texts(span: Span) -> list[str]:
        kept = tokens_in(every, span)
        return [doc.lines[t.line][t.start : t.start + t.length] for t in kept]

    # Lines 4-5 (the ENV with a continuation), and from the middle of `build` on line 2.
    assert texts(Span.of(4, 0, 6, 0)) == ["ENV", "A", "=", '"x', "$V", '"', "B", "=", "2"]
    assert texts(Span.of(2, 18, 2, 21)) == ["build"]
    # An empty range inside a token keeps it; one at a token's end keeps nothing there.
    assert texts(Span.of(2, 1, 2, 1)) == ["from"]
    assert texts(Span.of(3, 6, 3, 6)) == []
    # Inverted ranges are read the right way round; the whole file keeps everything.
    assert texts(Span.of(6, 0, 4, 0)) == texts(Span.of(4, 0, 6, 0))
    assert tokens_in(every, Span.of(0, 0, len(doc.lines), 0)) == every


def test_columns_are_code_points() -> None:
    tokens = semantic_tokens(parse('FROM a\nLABEL é="ü" x=1\n'))
    assert SemanticToken(1, 6, 1, "property", ()) in tokens
    assert SemanticToken(1, 8, 3, "string", ()) in tokens


def test_run_heredoc_body_is_left_to_the_shell() -> None:
    assert words("FROM a\nRUN <<EOF\necho $HOME\nEOF\n")[-1] == (3, "EOF", "operator", ())
    assert all(line != 2 for line, *_ in words("FROM a\nRUN <<EOF\necho $HOME\nEOF\n"))


def check_well_formed(text: str) -> None:
    doc = parse(text)
    tokens = semantic_tokens(doc)
    assert tokens == sorted(tokens)
    for t in tokens:
        assert t.type in TOKEN_TYPES and t.length > 0
        assert t.start + t.length <= len(doc.lines[t.line])
    for a, b in itertools.pairwise(tokens):
        assert (a.line, a.start + a.length) <= (b.line, b.start), (a, b)


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_tokens_never_overlap(path: Path | None) -> None:
    assert path is not None
    check_well_formed(read(path))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "FROM",
                "run",
                " ",
                "\n",
                "\\",
                "--from=",
                "a",
                "AS",
                "$",
                "${x}",
                "=",
                '"',
                "<<EOF",
                "EOF",
                "#",
                "ENV",
                "LABEL",
                "ARG",
                "onbuild",
                "[",
                "]",
                "\r\n",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_never_raises_and_well_formed(text: str) -> None:
    check_well_formed(text)
