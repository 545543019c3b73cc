"""Formatting: exact before/after per behaviour, idempotence, corpus and properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerls.edits import apply_edits
from dockerls.features.formatting import (
    FormatOptions,
    format_document,
    format_on_type,
    format_range,
)
from dockerls.syntax import Dockerfile, Position, Span, parse
from dockerls.syntax.parser import INSTRUCTIONS
from tests.corpus import corpus_params, read


def fmt(text: str, options: FormatOptions | None = None) -> str:
    return apply_edits(text, format_document(parse(text), options))


def _as(word: str, index: int, name: str) -> str:
    """Keywords in arguments (FROM's ``as``, ONBUILD's trigger) are upper-cased on purpose."""
    if name == "ONBUILD" and index == 0 and word.upper() in INSTRUCTIONS:
        return word.upper()  # the trigger's keyword, upper-cased on purpose
    return word.upper() if name == "FROM" and index == 1 and word.upper() == "AS" else word


def shape(doc: Dockerfile) -> list[object]:
    """What the builder reads: names, flags, argument words, exec form, pairs, heredocs."""
    out: list[object] = []
    for ins in doc.instructions:
        out.append(
            (
                ins.name,
                [(f.name.text, f.value.text if f.value else None) for f in ins.flags],
                [_as(a.text, i, ins.name) for i, a in enumerate(ins.args)],
                [e.text for e in ins.exec_form.elements] if ins.exec_form else None,
                [(p.key.text, p.value.text if p.value else None) for p in ins.pairs],
                [(h.name, h.body.text) for h in ins.heredocs],
                ins.trigger.name if ins.trigger else None,
            )
        )
    return out


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("from node:20\nrun make\n", "FROM node:20\nRUN make\n", id="keyword-case"),
        pytest.param("FROM node:20 as build\n", "FROM node:20 AS build\n", id="from-as-upper"),
        pytest.param("FROM a\n  RUN make\n\tENV A=1\n", "FROM a\nRUN make\nENV A=1\n", id="lead"),
        pytest.param(
            "FROM a\nRUN a && \\\n  b && \\\n        c\n",
            "FROM a\nRUN a && \\\n    b && \\\n    c\n",
            id="continuation-indent",
        ),
        pytest.param("FROM a   \nRUN make \t\n", "FROM a\nRUN make\n", id="trailing"),
        pytest.param("FROM a\n   \nRUN b\n", "FROM a\n\nRUN b\n", id="blank-line"),
        pytest.param(
            "FROM a\r\nrun a \\\r\n b  \r\n", "FROM a\r\nRUN a \\\r\n    b\r\n", id="crlf"
        ),
        pytest.param("onbuild run x\n", "ONBUILD RUN x\n", id="onbuild-trigger"),
        pytest.param(
            "FROM a\nRUN a \\\n   # note  \n  b\n",
            "FROM a\nRUN a \\\n    # note\n    b\n",
            id="comment-in-continuation",
        ),
        pytest.param("# Syntax = x  \nFROM a\n", "# Syntax = x\nFROM a\n", id="directive-trim"),
    ],
)
def test_format(before: str, after: str) -> None:
    assert fmt(before) == after
    assert fmt(after) == after


def test_tabs_option() -> None:
    text = "FROM a\nRUN a \\\n  b\n"
    assert fmt(text, FormatOptions(tab_size=2, insert_spaces=False)) == "FROM a\nRUN a \\\n\tb\n"
    assert fmt(text, FormatOptions(tab_size=2)) == "FROM a\nRUN a \\\n  b\n"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("FROM a\nRUN <<EOF\n   body   \n  EOF\nEOF\n", id="heredoc-body"),
        pytest.param("FROM a\nRUN <<-EOF\n\tbody \t\n\tEOF\n", id="heredoc-strip-tabs"),
        pytest.param("FROM a\nRUN <<EOF\n  unterminated  \n", id="heredoc-unterminated"),
        pytest.param('FROM a\nRUN echo "a \\\n   b"\n', id="continuation-in-quotes"),
        pytest.param("FROM a\nRUN foo\\\nbar\n", id="glued-continuation"),
        pytest.param('FROM a\nCMD ["a",   "b c"]\n', id="json-form"),
        pytest.param("FROM a\nRUN echo  a   b\n", id="argument-spacing"),
        pytest.param("R\\\nUN x\n", id="split-keyword"),
        pytest.param(" \ufeffrun x\n", id="blank-before-a-bom-character"),
        pytest.param("FROM a\nENV A value \\\n  more\n", id="legacy-env-value-as-written"),
        pytest.param("FROM a\nWORKDIR /a \\\n  b\n", id="workdir-text-as-written"),
        pytest.param('FROM a\nRUN --x=" \n', id="unterminated-quote-keeps-blanks"),
    ],
)
def test_untouched(text: str) -> None:
    assert format_document(parse(text)) == []


def test_heredoc_marker_line_is_formatted_but_not_the_body() -> None:
    text = "from a\nrun <<EOF  \n  x  \nEOF\n  copy <<X /y\n  z \nX\n"
    assert fmt(text) == "FROM a\nRUN <<EOF\n  x  \nEOF\nCOPY <<X /y\n  z \nX\n"


def test_escape_directive_backtick() -> None:
    text = "# escape=`\nFROM a\nRUN a `\n  b  \n"
    assert fmt(text) == "# escape=`\nFROM a\nRUN a `\n    b\n"


def test_bom_kept() -> None:
    assert fmt("\ufeff  from a\n") == "\ufeffFROM a\n"


def test_range_formats_only_touched_lines() -> None:
    text = "from a\nrun b\nrun c\n"
    doc = parse(text)
    edits = format_range(doc, Span.of(1, 0, 2, 0))
    assert apply_edits(text, edits) == "from a\nRUN b\nrun c\n"


@pytest.mark.parametrize(
    ("before", "at", "typed", "after"),
    [
        # The escape typed at the end of a line: the lines it continues are indented.
        ("run a \\\nb \\\n c\nrun d\n", (0, 7), "\\", "run a \\\n    b \\\n    c\nrun d\n"),
        ("# escape=`\nRUN a `\nb\n", (1, 7), "`", "# escape=`\nRUN a `\n    b\n"),
        # Not the escape character, not at the end of the line, or joining two words.
        ("RUN a \\\nb\n", (0, 7), "`", None),
        ("RUN a \\ x\nb\n", (0, 7), "\\", None),
        ("RUN a\\\nb\n", (0, 6), "\\", None),
    ],
)
def test_on_type_indents_what_the_escape_continues(
    before: str, at: tuple[int, int], typed: str, after: str | None
) -> None:
    edits = format_on_type(parse(before), Position(*at), typed)
    assert apply_edits(before, edits) == (before if after is None else after)


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_format_keeps_meaning(path: Path | None) -> None:
    assert path is not None
    text = read(path)
    before = parse(text)
    once = apply_edits(text, format_document(before))
    after = parse(once)
    assert shape(after) == shape(before)
    assert [(d.name.text, d.value.text) for d in after.directives] == [
        (d.name.text, d.value.text) for d in before.directives
    ]
    assert format_document(after) == []


_alphabet = st.sampled_from(
    [
        "FROM",
        "run",
        " ",
        "\t",
        "\\",
        "`",
        "\n",
        "\r\n",
        "<<EOF",
        "EOF",
        '"',
        "'",
        "#",
        "a",
        "=",
        "--x",
        "[",
        "]",
        ",",
        "as",
        "onbuild",
        "# escape=`\n",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_alphabet, max_size=40).map("".join))
def test_never_raises_and_keeps_names(text: str) -> None:
    doc = parse(text)
    once = apply_edits(text, format_document(doc))
    again = parse(once)
    assert [i.name for i in again.instructions] == [i.name for i in doc.instructions]
    assert shape(again) == shape(doc)
    assert format_document(again) == []


def test_shape_survives_tricky_inputs() -> None:
    for text in ["ENV FROM FROM \\\n  FROM", "onbuild run", 'FROM --x" ', '" --x" ']:
        assert shape(parse(fmt(text))) == shape(parse(text)), text
