"""Properties over random input: parsing never raises, spans stay inside the text,
and incremental edits keep the server's copy of a document equal to the client's."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp
from pygls.workspace import TextDocument

from dockerls.analysis import analyze
from dockerls.server.documents import LspTextDocument
from dockerls.syntax import Dockerfile, Span, parse

# Text that looks like Dockerfiles often enough to reach deep paths, with the
# characters that break naive position code: CRLF, lone CR, tabs, astral emoji, CJK.
PIECES = st.sampled_from(
    [
        "FROM ",
        "node:20",
        " AS b",
        "RUN ",
        "apt-get install -y x",
        " && ",
        "\\",
        "`",
        "\n",
        "\r\n",
        "\r",
        " ",
        "\t",
        "<<EOF",
        "<<-'E'",
        "EOF",
        "E",
        "# escape=`",
        "#",
        "--mount=type=cache,target=/x ",
        "COPY ",
        ". .",
        "--from=b ",
        '["a", "b"]',
        "[",
        '"',
        "'",
        "$",
        "${A:-x}",
        "ENV a=1 b",
        "ONBUILD ",
        "ARG A=1",
        "🐳",
        "中文",
        "é",
        "\ufeff",
        "sh -c 'npm i'",
        "CMD",
        "USER root",
        "HEALTHCHECK CMD x",
        "=",
        "\u2028",
        "\x0c",
        "\x0b",
        "\x85",
    ]
)
DOCKERISH = st.lists(PIECES, max_size=40).map("".join)
ANY_TEXT = st.one_of(DOCKERISH, st.text(max_size=200))


def spans(doc: Dockerfile) -> list[Span]:
    found = [p.span for p in doc.problems] + [c.span for c in doc.comments]
    for ins in doc.instructions:
        found.append(ins.span)
        found.extend(a.span for a in ins.args)
        found.extend(f.span for f in ins.flags)
        found.extend(h.body.span for h in ins.heredocs)
    return found


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_parse_never_raises_and_spans_stay_in_the_text(text: str) -> None:
    doc = parse(text)
    lines = doc.lines
    for span in spans(doc):
        assert span.start <= span.end
        for pos in (span.start, span.end):
            assert 0 <= pos.line < len(lines)
            assert 0 <= pos.column <= len(lines[pos.line])


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_analysis_never_raises(text: str) -> None:
    analysis = analyze(text)
    assert all(f.code != "DKL000" for f in analysis.findings), analysis.findings


def utf16_position(text: str, offset: int) -> lsp.Position:
    """What a UTF-16 client (VS Code) sends for an offset into its text."""
    before = text[:offset]
    breaks = list(re.finditer(r"\r\n|\r|\n", before))
    line_start = breaks[-1].end() if breaks else 0
    if before.endswith("\r") and text[offset : offset + 1] == "\n":
        # between CR and LF: clients never address this; move before the CR
        return utf16_position(text, offset - 1)
    column = len(before[line_start:].encode("utf-16-le")) // 2
    return lsp.Position(line=len(breaks), character=column)


EDIT_TEXT = st.text(alphabet=st.sampled_from(list("ab \n\r\t🐳中\\`\u2028\x0c")), max_size=6)


@st.composite
def edit_sequences(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    text = draw(DOCKERISH)
    edits = []
    current = text
    for _ in range(draw(st.integers(1, 25))):
        a = draw(st.integers(0, len(current)))
        b = draw(st.integers(a, min(len(current), a + 8)))
        new = draw(EDIT_TEXT)
        edits.append((a, b, new))
        current = current[:a] + new + current[b:]
    return text, edits


def _safe(text: str, offset: int) -> int:
    """Never split a CRLF pair: an editor cannot put the cursor between CR and LF."""
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        return offset - 1
    return offset


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(edit_sequences())
def test_incremental_edits_keep_the_document_equal_to_the_client(
    case: tuple[str, list[tuple[int, int, str]]],
) -> None:
    text, edits = case
    document = LspTextDocument("file:///Dockerfile", text)  # the server's copy (UTF-16)
    client = text
    for first, second, new in edits:
        x = _safe(client, min(first, len(client)))
        y = _safe(client, min(second, len(client)))
        a, b = min(x, y), max(x, y)
        change = lsp.TextDocumentContentChangePartial(
            range=lsp.Range(utf16_position(client, a), utf16_position(client, b)), text=new
        )
        document.apply_change(change)
        client = client[:a] + new + client[b:]
        assert document.source == client
    assert analyze(document.source).document.text == client


CLIENT_POSITIONS = st.builds(
    lsp.Position, line=st.integers(0, 12), character=st.integers(0, 12)
)  # past the end of a line or of the text too


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(DOCKERISH, st.lists(st.tuples(CLIENT_POSITIONS, CLIENT_POSITIONS, EDIT_TEXT), max_size=12))
def test_an_edit_replaces_only_the_lines_it_touches_with_what_pygls_would_make(
    text: str, edits: list[tuple[lsp.Position, lsp.Position, str]]
) -> None:
    """The server edits the lines an edit touches instead of walking all of them as pygls
    does: the text is the one pygls' own edit makes, whatever the range (past the end of
    a line or of the text, across CR/LF pairs), and the lines kept are those of the text."""
    document = LspTextDocument("file:///Dockerfile", text)
    reference = LspTextDocument("file:///Dockerfile", text)
    for one, other, new in edits:
        start, end = sorted((one, other), key=lambda p: (p.line, p.character))
        change = lsp.TextDocumentContentChangePartial(range=lsp.Range(start, end), text=new)
        document.apply_change(change)
        TextDocument._apply_incremental_change(reference, change)  # pygls' walk over the lines
        assert document.source == reference.source
        assert list(document.lines) == re.findall(
            r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", document.source
        )
