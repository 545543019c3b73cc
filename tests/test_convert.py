"""Unit tests of dockerls.convert: positions, diagnostics, symbols and folds."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types
from pygls.protocol import default_converter

from dockerls.analysis import Analysis, Finding, Related, Tag
from dockerls.convert import (
    UTF8,
    UTF16,
    UTF32,
    PositionMap,
    diagnostics,
    folding_ranges,
    structured,
    wire_key,
)
from dockerls.convert import (
    document_symbols as wire_symbols,
)
from dockerls.convert import (
    symbol_information as wire_flat_symbols,
)
from dockerls.syntax.model import (
    Comment,
    Directive,
    Dockerfile,
    Heredoc,
    Instruction,
    KeyValue,
    Position,
    Severity,
    Span,
    Stage,
    Token,
)

EMOJI_LINE = "RUN echo 🐳 && cat <<EOF"  # the marker is at code point 18
CJK_LINE = "LABEL 名前=鲸 x"  # 'x' is at code point 11


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        (EMOJI_LINE, 18, {UTF32: 18, UTF16: 19, UTF8: 21}),
        (CJK_LINE, 11, {UTF32: 11, UTF16: 11, UTF8: 17}),
        (EMOJI_LINE, 9, {UTF32: 9, UTF16: 9, UTF8: 9}),  # just before the emoji
        (EMOJI_LINE, 10, {UTF32: 10, UTF16: 11, UTF8: 13}),  # just after it
        ("FROM alpine", 4, {UTF32: 4, UTF16: 4, UTF8: 4}),
    ],
)
def test_units(line: str, column: int, expected: dict[str, int]) -> None:
    for encoding, units in expected.items():
        positions = PositionMap([line], encoding)
        assert positions.units(0, column) == units
        assert positions.column(0, units) == column


@pytest.mark.parametrize(("encoding", "end"), [(UTF32, 23), (UTF16, 24), (UTF8, 26)])
def test_columns_past_the_end_clamp(encoding: str, end: int) -> None:
    positions = PositionMap(["FROM alpine", EMOJI_LINE], encoding)
    assert positions.units(0, 99) == 11
    assert positions.column(0, 99) == 11
    assert positions.units(1, 99) == end
    assert positions.column(1, 10_000) == 23


def test_lines_past_the_end_have_no_columns() -> None:
    positions = PositionMap(["FROM alpine"], UTF16)
    assert positions.position(Position(1, 5)) == types.Position(line=1, character=0)
    assert positions.to_model(types.Position(line=3, character=2)) == Position(3, 0)


def test_inside_a_wide_character_maps_to_its_start() -> None:
    assert PositionMap([EMOJI_LINE], UTF16).column(0, 10) == 9  # between the surrogates
    assert PositionMap([EMOJI_LINE], UTF8).column(0, 11) == 9  # inside the 4 bytes
    assert PositionMap([CJK_LINE], UTF8).column(0, 7) == 6


def test_unknown_encodings_are_utf16() -> None:
    assert PositionMap([EMOJI_LINE], "ucs-2").units(0, 18) == 19


@given(st.text(max_size=30), st.data())
def test_round_trips(line: str, data: st.DataObject) -> None:
    column = data.draw(st.integers(0, len(line)))
    for encoding in (UTF8, UTF16, UTF32):
        positions = PositionMap([line], encoding)
        units = positions.units(0, column)
        codec = {UTF8: "utf-8", UTF16: "utf-16-le", UTF32: "utf-32-le"}[encoding]
        width = {UTF8: 1, UTF16: 2, UTF32: 4}[encoding]
        assert units == len(line[:column].encode(codec, "surrogatepass")) // width
        assert positions.column(0, units) == column
        pos = positions.position(Position(0, column))
        assert positions.to_model(pos) == Position(0, column)


def test_ranges_round_trip() -> None:
    positions = PositionMap(["FROM alpine", EMOJI_LINE], UTF16)
    span = Span(Position(0, 5), Position(1, 23))
    lsp = positions.range(span)
    assert lsp == types.Range(
        start=types.Position(line=0, character=5), end=types.Position(line=1, character=24)
    )
    assert positions.to_model_span(lsp) == span


def test_a_long_document_converts_quickly() -> None:
    lines = [f"RUN echo {i}" for i in range(10_000)]
    lines[-1] = EMOJI_LINE
    positions = PositionMap(lines, UTF16)
    begin = time.perf_counter()
    for line in range(10_000):
        positions.units(line, 8)
    elapsed = time.perf_counter() - begin
    assert positions.units(9_999, 18) == 19
    assert elapsed < 0.5  # generous: it takes a few milliseconds


# --- diagnostics -----------------------------------------------------------------------

URI = "file:///project/Dockerfile"


def document(text: str, **parts: object) -> Dockerfile:
    lines = tuple(text.split("\n"))
    fields: dict[str, object] = {
        "directives": (),
        "instructions": (),
        "comments": (),
        "global_args": (),
        "stages": (),
        "problems": (),
    }
    fields.update(parts)
    return Dockerfile(text=text, lines=lines, escape="\\", **fields)  # type: ignore[arg-type]


# A finding at the heredoc marker of EMOJI_LINE (on line 1), with every optional part.
HEREDOC = Finding(
    code="DKL003",
    name="unterminated-heredoc",
    severity=Severity.ERROR,
    message="The heredoc EOF is never closed",
    span=Span.of(1, 18, 1, 23),
    related=(Related(Span.of(0, 0, 0, 4), "the stage starts here"),),
    tags=frozenset({Tag.UNNECESSARY, Tag.DEPRECATED}),
)


def test_diagnostic_fields() -> None:
    doc = document(f"FROM alpine\n{EMOJI_LINE}\necho hi")
    finding = HEREDOC
    [wire] = diagnostics(Analysis(doc, (finding,)), URI, UTF16)
    diagnostic = structured(wire)  # the JSON is what lsprotocol's type reads
    assert diagnostic.range == types.Range(
        start=types.Position(line=1, character=19), end=types.Position(line=1, character=24)
    )
    assert diagnostic.code == "DKL003"
    assert diagnostic.source == "dockerls"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.message == "The heredoc EOF is never closed"
    assert diagnostic.code_description == types.CodeDescription(
        href="https://dockerls.dev/rules/DKL003"
    )
    assert list(diagnostic.tags or ()) == [
        types.DiagnosticTag.Unnecessary,
        types.DiagnosticTag.Deprecated,
    ]
    assert list(diagnostic.related_information or ()) == [
        types.DiagnosticRelatedInformation(
            location=types.Location(
                uri=URI,
                range=types.Range(
                    start=types.Position(line=0, character=0),
                    end=types.Position(line=0, character=4),
                ),
            ),
            message="the stage starts here",
        )
    ]
    assert wire_key(wire) == ("DKL003", (1, 19, 1, 24))
    [in_bytes] = diagnostics(Analysis(doc, (finding,)), URI, UTF8)
    assert structured(in_bytes).range.start == types.Position(line=1, character=21)


def test_diagnostic_json_is_what_lsprotocol_would_send() -> None:
    """The hand-built JSON equals lsprotocol's own serialisation of the same diagnostic."""
    doc = document(f"FROM alpine\n{EMOJI_LINE}")
    finding = replace(HEREDOC, severity=Severity.WARNING, tags=frozenset({Tag.DEPRECATED}))
    for found in (finding, Finding("DKL100", "x", Severity.HINT, "m", Span.of(0, 0, 0, 4))):
        [wire] = diagnostics(Analysis(doc, (found,)), URI)
        assert wire == default_converter().unstructure(structured(wire), types.Diagnostic)
        assert json.loads(json.dumps(wire)) == wire


def test_plain_diagnostic_has_no_empty_lists() -> None:
    doc = document("FROM alpine")
    finding = Finding("DKL100", "x", Severity.HINT, "m", Span.of(0, 0, 0, 4))
    [wire] = diagnostics(Analysis(doc, (finding,)), URI)
    assert wire["severity"] == types.DiagnosticSeverity.Hint
    assert "tags" not in wire
    assert "relatedInformation" not in wire


# --- a hand-built model for symbols and folds ------------------------------------------


def token(text: str, line: int, column: int, end_line: int | None = None, end: int = 0) -> Token:
    if end_line is None:
        return Token(text, Span.of(line, column, line, column + len(text)))
    return Token(text, Span.of(line, column, end_line, end))


def instruction(
    lines: list[str],
    first: int,
    last: int | None = None,
    *,
    index: int = 0,
    pairs: tuple[KeyValue, ...] = (),
    heredocs: tuple[Heredoc, ...] = (),
) -> Instruction:
    last = first if last is None else last
    keyword, _, rest = lines[first].partition(" ")
    return Instruction(
        keyword=token(keyword, first, 0),
        name=keyword.upper(),
        span=Span.of(first, 0, last, len(lines[last])),
        flags=(),
        args=(),
        rest=token(rest, first, len(keyword) + 1) if rest else None,
        exec_form=None,
        pairs=pairs,
        heredocs=heredocs,
        comments=(),
        trigger=None,
        index=index,
    )


SOURCE = """\
# syntax=docker/dockerfile:1
# Build the tool.
# Then ship it.
ARG BASE=alpine
FROM alpine AS build
RUN apk add \\
    curl
COPY <<A <<B /dst/
one
A
two
B
MAINTAINER me 🐳
FROM scratch
LABEL 名前=鲸"""


def sample() -> Dockerfile:
    lines = SOURCE.split("\n")
    arg = instruction(
        lines,
        3,
        pairs=(KeyValue(token("BASE", 3, 4), token("alpine", 3, 9), None, Span.of(3, 4, 3, 15)),),
    )
    from_build = instruction(lines, 4, index=1)
    run = instruction(lines, 5, 6, index=2)
    heredocs = (
        Heredoc("A", token("<<A", 7, 5), False, False, token("one\n", 8, 0, 9, 0), Span.of(9, 0)),
        Heredoc("B", token("<<B", 7, 9), False, False, token("two\n", 10, 0, 11, 0), None),
    )
    copy = instruction(lines, 7, 11, index=3, heredocs=heredocs)
    maintainer = instruction(lines, 12, index=4)
    from_final = instruction(lines, 13, index=5)
    label = instruction(
        lines,
        14,
        index=6,
        pairs=(KeyValue(token("名前", 14, 6), token("鲸", 14, 9), None, Span.of(14, 6, 14, 10)),),
    )
    stages = (
        Stage(
            0,
            from_build,
            None,
            token("build", 4, 15),
            (run, copy, maintainer),
            Span.of(4, 0, 12, 15),
        ),
        Stage(1, from_final, None, None, (label,), Span.of(13, 0, 14, 10)),
    )
    return document(
        SOURCE,
        directives=(
            Directive(
                token("syntax", 0, 2), token("docker/dockerfile:1", 0, 9), Span.of(0, 0, 0, 28)
            ),
        ),
        comments=(
            Comment("Build the tool.", Span.of(1, 0, 1, 17)),
            Comment("Then ship it.", Span.of(2, 0, 2, 15)),
        ),
        instructions=(arg, from_build, run, copy, maintainer, from_final, label),
        global_args=(arg,),
        stages=stages,
    )


def document_symbols(document: Dockerfile, encoding: str) -> list[types.DocumentSymbol]:
    """The outline's JSON, read back as lsprotocol's type (which checks its shape)."""
    return default_converter().structure(
        wire_symbols(document, encoding), list[types.DocumentSymbol]
    )


def symbol_information(
    document: Dockerfile, uri: str, encoding: str
) -> list[types.SymbolInformation]:
    return default_converter().structure(
        wire_flat_symbols(document, uri, encoding), list[types.SymbolInformation]
    )


def outline(symbols: Sequence[types.DocumentSymbol]) -> list[object]:
    return [
        (s.name, s.kind, s.detail, outline(s.children) if s.children else None) for s in symbols
    ]


def test_document_symbols() -> None:
    symbols = document_symbols(sample(), UTF16)
    kinds = types.SymbolKind
    assert outline(symbols) == [
        ("# syntax", kinds.Property, "docker/dockerfile:1", None),
        ("ARG", kinds.Variable, "BASE=alpine", [("BASE", kinds.Variable, "alpine", None)]),
        (
            "FROM alpine AS build",
            kinds.Class,
            "stage 0",
            [
                ("RUN", kinds.Function, "apk add \\", None),
                ("COPY", kinds.File, "<<A <<B /dst/", None),
                ("MAINTAINER", kinds.Property, "me 🐳", None),
            ],
        ),
        (
            "FROM scratch",
            kinds.Class,
            "stage 1",
            [("LABEL", kinds.Property, "名前=鲸", [("名前", kinds.Property, "鲸", None)])],
        ),
    ]
    build = symbols[2]
    assert build.range == types.Range(
        start=types.Position(line=4, character=0), end=types.Position(line=12, character=16)
    )
    assert build.selection_range.start == types.Position(line=4, character=15)
    assert build.children is not None
    assert list(build.children[2].tags or ()) == [types.SymbolTag.Deprecated]
    assert build.children[0].tags is None


def test_selection_ranges_lie_inside_ranges() -> None:
    def check(symbols: Sequence[types.DocumentSymbol]) -> None:
        for s in symbols:
            assert (s.range.start.line, s.range.start.character) <= (
                s.selection_range.start.line,
                s.selection_range.start.character,
            )
            assert (s.selection_range.end.line, s.selection_range.end.character) <= (
                s.range.end.line,
                s.range.end.character,
            )
            check(s.children or [])

    for encoding in (UTF8, UTF16, UTF32):
        check(document_symbols(sample(), encoding))


def test_symbol_columns_use_the_encoding() -> None:
    final = document_symbols(sample(), UTF8)[3]
    assert final.children is not None
    [pair] = final.children[0].children or []
    assert pair.selection_range.end == types.Position(line=14, character=12)


def test_flat_symbols() -> None:
    flat = symbol_information(sample(), URI, UTF16)
    assert [(s.name, s.container_name) for s in flat] == [
        ("# syntax", None),
        ("ARG", None),
        ("BASE", "ARG"),
        ("FROM alpine AS build", None),
        ("RUN", "FROM alpine AS build"),
        ("COPY", "FROM alpine AS build"),
        ("MAINTAINER", "FROM alpine AS build"),
        ("FROM scratch", None),
        ("LABEL", "FROM scratch"),
        ("名前", "LABEL"),
    ]
    assert all(s.location.uri == URI for s in flat)
    assert list(flat[6].tags or ()) == [types.SymbolTag.Deprecated]


def test_folding_ranges() -> None:
    ranges = folding_ranges(sample())
    assert [(r.start_line, r.end_line, r.kind) for r in ranges] == [
        (1, 2, types.FoldingRangeKind.Comment),
        (4, 12, None),  # the first stage
        (5, 6, None),  # RUN with a continuation
        (7, 11, None),  # COPY with its heredocs (the first body starts on its line too)
        (9, 10, None),  # the second heredoc body, between the terminators
        (13, 14, None),  # the second stage
    ]
    assert all(r.start_character is None and r.end_character is None for r in ranges)
    assert [r.start_line for r in folding_ranges(sample(), range_limit=2)] == [1, 4]


def test_single_comment_lines_do_not_fold() -> None:
    doc = document(
        "# one\nFROM a\n# two",
        comments=(Comment("one", Span.of(0, 0, 0, 5)), Comment("two", Span.of(2, 0, 2, 5))),
    )
    assert folding_ranges(doc) == []


def test_outline_json_is_what_lsprotocol_would_send() -> None:
    converter = default_converter()
    for encoding in (UTF8, UTF16):
        tree = wire_symbols(sample(), encoding)
        as_types = converter.structure(tree, list[types.DocumentSymbol])
        assert converter.unstructure(as_types, list[types.DocumentSymbol]) == tree
        flat = wire_flat_symbols(sample(), URI, encoding)
        flat_types = converter.structure(flat, list[types.SymbolInformation])
        assert converter.unstructure(flat_types, list[types.SymbolInformation]) == flat
