"""Definition, references, highlights and rename for stages and build variables.

Markers: every ``⟨…⟩`` is an occurrence the feature must report, in document order.
The cursor goes inside the marker numbered ``at`` (0 by default).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerls.edits import apply_edits
from dockerls.features.navigation import (
    RenameError,
    definition,
    highlights,
    prepare_rename,
    references,
    rename,
)
from dockerls.syntax import Position, Span, parse
from tests.corpus import corpus_params, read
from tests.markers import extract


def marked(text: str, at: int = 0) -> tuple[str, list[Span], Position]:
    clean, spans = extract(text)
    start = spans[at].start
    return clean, spans, Position(start.line, start.column + 1)


def occurrences(text: str, at: int = 0) -> tuple[list[Span], list[Span]]:
    clean, spans, cursor = marked(text, at)
    return references(parse(clean), cursor, include_declaration=True), sorted(spans)


# --------------------------------------------------------------------------- stages

STAGES = """\
FROM node:20 AS ⟨build⟩
RUN make
FROM ⟨build⟩ AS test
COPY --from=⟨Build⟩ /out /out
RUN --mount=type=cache,from=⟨build⟩,target=/x true
FROM alpine
COPY --from=⟨BUILD⟩ /out /app
COPY --from=0 /out /by-index
"""


@pytest.mark.parametrize("at", range(5))
def test_stage_references_from_every_occurrence(at: int) -> None:
    got, want = occurrences(STAGES, at)
    assert got == want


def test_stage_definition_from_each_reference() -> None:
    clean, spans, _ = marked(STAGES)
    doc = parse(clean)
    for span in spans:
        assert definition(doc, span.start) == [spans[0]]


def test_stage_references_without_declaration_and_highlights() -> None:
    clean, spans, cursor = marked(STAGES, 2)
    doc = parse(clean)
    assert references(doc, cursor, include_declaration=False) == spans[1:]
    assert highlights(doc, cursor) == [(spans[0], "write")] + [(s, "read") for s in spans[1:]]


def test_stage_used_before_its_definition_is_an_image() -> None:
    got, want = occurrences("FROM a AS one\nCOPY --from=later /a /b\nFROM b AS ⟨later⟩\n")
    assert got == want


def test_from_through_an_arg_is_not_a_name_occurrence() -> None:
    got, want = occurrences("ARG B=base\nFROM a AS ⟨base⟩\nFROM ${B}\n")
    assert got == want


def test_unnamed_stage_and_images_have_no_symbol() -> None:
    doc = parse("FROM node:20\nCOPY --from=nginx /a /b\n")
    assert references(doc, Position(0, 6), True) == []
    assert references(doc, Position(1, 14), True) == []
    assert prepare_rename(doc, Position(1, 14)) is None


# --------------------------------------------------------------------------- variables


def test_global_arg_is_visible_in_from_but_not_in_stage_without_redeclaration() -> None:
    text = "ARG ⟨V⟩=1\nFROM node:${⟨V⟩}\nRUN echo $V\n"
    got, want = occurrences(text)
    assert got == want
    clean, _, _ = marked(text)
    assert definition(parse(clean), Position(2, 10)) == []


def test_global_arg_redeclared_in_stage_is_one_symbol() -> None:
    text = "ARG ⟨V⟩=1\nFROM node:$⟨V⟩\nARG ⟨V⟩\nRUN echo $⟨V⟩\n"
    for at in range(4):
        got, want = occurrences(text, at)
        assert got == want


def test_definition_of_redeclared_arg_names_both_declarations() -> None:
    clean, spans, cursor = marked("ARG ⟨V⟩=1\nFROM scratch\nARG ⟨V⟩\nRUN echo $⟨V⟩\n", 2)
    assert definition(parse(clean), cursor) == [spans[1], spans[0]]


def test_global_arg_default_using_an_earlier_global() -> None:
    got, want = occurrences("ARG ⟨A⟩=1\nARG B=x$⟨A⟩\nFROM scratch\n")
    assert got == want


def test_stage_arg_is_visible_only_after_its_definition() -> None:
    got, want = occurrences("FROM a\nRUN echo $X\nARG ⟨X⟩=1\nRUN echo $⟨X⟩\n")
    assert got == want


def test_env_is_inherited_through_from() -> None:
    got, want = occurrences("FROM a AS base\nENV ⟨E⟩=1\nFROM base\nWORKDIR /$⟨E⟩\n")
    assert got == want


def test_stage_arg_is_inherited_by_stages_built_from_it() -> None:
    # BuildKit (moby/buildkit#5381): a stage's ARG reaches the stages built FROM it.
    got, want = occurrences("FROM a AS base\nARG ⟨N⟩=joe\nFROM base\nRUN echo $⟨N⟩\n")
    assert got == want


def test_unrelated_stage_does_not_see_a_variable() -> None:
    got, want = occurrences("FROM a AS one\nENV ⟨E⟩=1\nFROM b\nRUN echo $E\n")
    assert got == want


def test_same_name_in_two_stages_is_two_symbols() -> None:
    text = "FROM a\nARG ⟨X⟩=1\nRUN echo $⟨X⟩\nFROM b\nARG X=2\nRUN echo $X\n"
    got, want = occurrences(text)
    assert got == want


def test_redefinition_is_the_same_symbol() -> None:
    got, want = occurrences("FROM a\nENV ⟨P⟩=/a\nENV ⟨P⟩=$⟨P⟩:/b\nRUN echo $⟨P⟩\n")
    assert got == want


def test_exec_form_and_runtime_shell_arg_are_not_references() -> None:
    text = 'FROM a\nARG ⟨A⟩=1\nENV E=2\nRUN ["echo", "$A"]\nCMD echo $A $E\nLABEL x=$⟨A⟩\n'
    got, want = occurrences(text)
    assert got == want


def test_env_used_in_cmd_shell_form() -> None:
    got, want = occurrences("FROM a\nENV ⟨E⟩=2\nCMD echo $⟨E⟩\n")
    assert got == want


def test_flags_are_references() -> None:
    got, want = occurrences("FROM a\nARG ⟨U⟩=1000\nCOPY --chown=$⟨U⟩ a b\n")
    assert got == want


def test_unquoted_heredoc_bodies_are_references_quoted_ones_are_not() -> None:
    text = (
        "FROM a\nARG ⟨A⟩=1\nRUN <<EOF\necho $⟨A⟩ ${⟨A⟩}\nEOF\n"
        "COPY <<EOF /x\n  $⟨A⟩\nEOF\nCOPY <<'EOF' /y\n$A\nEOF\n"
    )
    for at in range(4):
        got, want = occurrences(text, at)
        assert got == want


HEREDOCS = (
    'FROM a\nRUN <<⟨EOF⟩\necho hi\n⟨EOF⟩\nCOPY <<-"⟨BODY⟩" <<TWO /x\n\tline\n\t⟨BODY⟩\nzz\nTWO\n'
)


def test_heredoc_names_from_marker_and_terminator() -> None:
    clean, spans, _ = marked(HEREDOCS)
    doc = parse(clean)
    for at, (first, second) in enumerate([(0, 1), (0, 1), (2, 3), (2, 3)]):
        _, _, cursor = marked(HEREDOCS, at)
        assert references(doc, cursor, include_declaration=True) == [spans[first], spans[second]]
        assert definition(doc, cursor) == [spans[first]]
        assert highlights(doc, cursor) == [(spans[first], "write"), (spans[second], "read")]


def test_rename_a_heredoc_and_refuse_a_line_of_its_body() -> None:
    clean, _, cursor = marked(HEREDOCS, 2)
    doc = parse(clean)
    edits = rename(doc, cursor, "END")
    assert not isinstance(edits, RenameError)
    assert apply_edits(clean, edits) == clean.replace("BODY", "END")
    for bad, reason in (("line", "already a line"), ("1x", "not a valid here-document name")):
        refused = rename(doc, cursor, bad)
        assert isinstance(refused, RenameError) and reason in refused.message
    # TWO's body holds `zz`; BODY's does not, so only TWO refuses it.
    assert isinstance(rename(doc, Position(8, 1), "zz"), RenameError)
    assert not isinstance(rename(doc, cursor, "zz"), RenameError)


def test_variable_highlights() -> None:
    clean, spans, cursor = marked("FROM a\nENV ⟨E⟩=1\nRUN echo ${⟨E⟩:-x}\n")
    assert highlights(parse(clean), cursor) == [(spans[0], "write"), (spans[1], "read")]


def test_nothing_under_cursor() -> None:
    doc = parse("FROM a\nRUN echo hello\n")
    assert definition(doc, Position(1, 5)) == []
    assert references(doc, Position(1, 5), True) == []
    assert highlights(doc, Position(1, 5)) == []
    assert prepare_rename(doc, Position(1, 5)) is None
    assert isinstance(rename(doc, Position(1, 5), "x"), RenameError)


# --------------------------------------------------------------------------- rename


def test_prepare_rename_gives_the_name_span() -> None:
    clean, spans, cursor = marked("FROM a AS ⟨build⟩\nFROM build\n")
    assert prepare_rename(parse(clean), cursor) == spans[0]


def test_builder_set_arguments_are_not_renamable() -> None:
    doc = parse("ARG TARGETARCH\nFROM a\nARG TARGETARCH\nRUN echo $TARGETARCH\n")
    assert prepare_rename(doc, Position(3, 11)) is None
    result = rename(doc, Position(3, 11), "ARCH")
    assert isinstance(result, RenameError)
    assert "builder" in result.message


def test_rename_stage_everywhere() -> None:
    clean, _, cursor = marked(STAGES)
    edits = rename(parse(clean), cursor, "compile")
    assert not isinstance(edits, RenameError)
    assert apply_edits(clean, edits) == clean.replace("uild", "ompile").replace(
        "BUILD", "compile"
    ).replace("Bompile", "compile").replace("bompile", "compile")


def test_rename_stage_to_same_name_ignoring_case_is_a_no_op() -> None:
    clean, _, cursor = marked(STAGES)
    assert rename(parse(clean), cursor, "BUILD") == []


@pytest.mark.parametrize("bad", ["1build", "", "bu ild", "-x", "a/b", "a:b"])
def test_rename_stage_refuses_invalid_names(bad: str) -> None:
    clean, _, cursor = marked(STAGES)
    result = rename(parse(clean), cursor, bad)
    assert isinstance(result, RenameError)
    assert "not a valid stage name" in result.message


def test_rename_stage_refuses_an_existing_name() -> None:
    doc = parse("FROM a AS one\nFROM b AS two\n")
    result = rename(doc, Position(0, 11), "two")
    assert isinstance(result, RenameError)
    assert "already exists" in result.message


def test_rename_variable_in_scope_only() -> None:
    text = "ARG V=1\nFROM node:$V\nARG V\nRUN echo $V\nFROM b\nARG V=2\nRUN echo $V\n"
    edits = rename(parse(text), Position(3, 10), "NODE_V")
    assert not isinstance(edits, RenameError)
    assert apply_edits(text, edits) == (
        "ARG NODE_V=1\nFROM node:$NODE_V\nARG NODE_V\nRUN echo $NODE_V\n"
        "FROM b\nARG V=2\nRUN echo $V\n"
    )


@pytest.mark.parametrize("bad", ["1X", "", "A-B", "A B", "$A", "é"])
def test_rename_variable_refuses_invalid_names(bad: str) -> None:
    result = rename(parse("FROM a\nARG A=1\n"), Position(1, 4), bad)
    assert isinstance(result, RenameError)
    assert "not a valid variable name" in result.message


def test_rename_variable_refuses_a_name_in_use() -> None:
    result = rename(parse("FROM a\nARG A=1\nARG B=2\n"), Position(1, 4), "B")
    assert isinstance(result, RenameError)
    assert "already used" in result.message


def test_rename_variable_refuses_to_capture_an_undeclared_reference() -> None:
    result = rename(parse("FROM a\nARG A=1\nRUN echo $HOME $A\n"), Position(1, 4), "HOME")
    assert isinstance(result, RenameError)
    assert "already used" in result.message


def test_rename_variable_keeps_braces_and_modifiers() -> None:
    text = "FROM a\nENV E=1\nRUN echo ${E:-x}$E\n"
    edits = rename(parse(text), Position(1, 4), "EE")
    assert not isinstance(edits, RenameError)
    assert apply_edits(text, edits) == "FROM a\nENV EE=1\nRUN echo ${EE:-x}$EE\n"


# --------------------------------------------------------------------------- never raises

_pieces = st.sampled_from(
    [
        "FROM ", "node:20", " AS ", "build", "\n", "ARG ", "ENV ", "V=1", "$V", "${V:-x}",
        "RUN ", "COPY --from=build ", "--mount=from=build,target=/x ", "\\\n", "#", " ",
        '["a"]', "<<EOF\n", "EOF\n", "CMD ", "ONBUILD ", "=", "{", "}",
    ]
)  # fmt: skip


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_pieces | st.text(max_size=5), max_size=25).map("".join),
    st.integers(0, 12),
    st.integers(0, 40),
)
def test_never_raises(text: str, line: int, column: int) -> None:
    doc = parse(text)
    pos = Position(line, column)
    definition(doc, pos)
    references(doc, pos, True)
    highlights(doc, pos)
    span = prepare_rename(doc, pos)
    result = rename(doc, pos, "renamed")
    if span is not None:
        assert not isinstance(result, RenameError) or "already" in result.message


# --------------------------------------------------------------------------- corpus


def _token_starts(text: str) -> list[Position]:
    starts = []
    for n, line in enumerate(parse(text).lines):
        for col, ch in enumerate(line):
            if not ch.isspace() and (
                col == 0 or not (line[col - 1].isalnum() or line[col - 1] == "_")
            ):
                starts.append(Position(n, col))
    return starts


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_every_token_and_rename_round_trip(path: Path) -> None:
    text = read(path)
    doc = parse(text)
    for pos in _token_starts(text):
        definition(doc, pos)
        references(doc, pos, True)
        highlights(doc, pos)
        span = prepare_rename(doc, pos)
        if span is None:
            continue
        line = doc.lines[span.start.line]
        name = line[span.start.column : span.end.column]
        edits = rename(doc, pos, name)
        assert not isinstance(edits, RenameError), (pos, edits)
        assert apply_edits(text, edits) == text
