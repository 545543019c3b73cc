"""The model's small value types, held flat: ``Span`` as four ints, ``Token`` as its text
and those four ints. They behave as the values they stand for (a pair of ``Position``s;
a text and a ``Span``): order, equality, hashing, copies, repr."""

from __future__ import annotations

import copy
import pickle

from hypothesis import given
from hypothesis import strategies as st

from dockerls.syntax import Position, Span, Token, parse

POSITIONS = st.builds(Position, st.integers(0, 5), st.integers(0, 5))
SPANS = st.builds(Span, POSITIONS, POSITIONS)


def test_span_gives_its_positions() -> None:
    span = Span(Position(1, 2), Position(3, 4))
    assert span.start == Position(1, 2)
    assert span.end == Position(3, 4)
    assert type(span.start) is Position and span.start.line == 1 and span.end.column == 4
    assert (span.start, span.end) == ((1, 2), (3, 4))
    assert tuple(span) == (1, 2, 3, 4)  # four ints: no Position objects kept per span


def test_span_of_defaults_to_the_same_line_and_an_empty_range() -> None:
    assert Span.of(2, 5) == Span(Position(2, 5), Position(2, 5))
    assert Span.of(2, 5, None, 9) == Span(Position(2, 5), Position(2, 9))
    assert Span.of(2, 5, 4, 1) == Span(Position(2, 5), Position(4, 1))
    assert type(Span.of(0, 0)) is Span


@given(SPANS, SPANS)
def test_span_orders_and_compares_as_its_pair_of_positions(a: Span, b: Span) -> None:
    pa, pb = (a.start, a.end), (b.start, b.end)
    assert (a < b) == (pa < pb)
    assert (a <= b) == (pa <= pb)
    assert (a == b) == (pa == pb)
    assert (a != b) == (pa != pb)
    assert (hash(a) == hash(b)) or a != b
    assert sorted([a, b]) == [Span(*p) for p in sorted([pa, pb])]


@given(SPANS, SPANS, POSITIONS)
def test_span_cover_and_contains(a: Span, b: Span, pos: Position) -> None:
    cover = a.cover(b)
    assert cover == Span(min(a.start, b.start), max(a.end, b.end))
    assert type(cover) is Span
    assert a.contains(pos) == (a.start <= pos <= a.end)


def test_span_as_a_key_and_in_a_set() -> None:
    a = Span(Position(0, 1), Position(0, 3))
    assert {a: "x"}[Span.of(0, 1, 0, 3)] == "x"
    assert len({a, Span.of(0, 1, 0, 3), Span.of(0, 1, 0, 4)}) == 2


def test_span_copies_pickles_and_reads_back() -> None:
    span = Span(Position(1, 2), Position(3, 4))
    for clone in (copy.copy(span), copy.deepcopy(span), pickle.loads(pickle.dumps(span))):
        assert clone == span and type(clone) is Span
    assert repr(span) == "Span(start=Position(line=1, column=2), end=Position(line=3, column=4))"


TOKENS = st.builds(Token, st.sampled_from(["", "a", "b", "ab"]), SPANS)


def test_token_gives_its_text_and_span() -> None:
    span = Span.of(1, 2, 3, 4)
    token = Token("RUN", span)
    assert token.text == "RUN" and token.span == span and type(token.span) is Span
    assert tuple(token) == ("RUN", 1, 2, 3, 4)  # flat: no Span object kept per token
    assert repr(token) == f"Token(text='RUN', span={span!r})"


@given(TOKENS, TOKENS)
def test_token_orders_and_compares_as_its_text_and_span(a: Token, b: Token) -> None:
    pa, pb = (a.text, a.span), (b.text, b.span)
    assert (a < b) == (pa < pb)
    assert (a == b) == (pa == pb)
    assert (hash(a) == hash(b)) or a != b


def test_token_copies_and_pickles() -> None:
    token = Token("x", Span.of(0, 1, 0, 2))
    for clone in (copy.copy(token), copy.deepcopy(token), pickle.loads(pickle.dumps(token))):
        assert clone == token and type(clone) is Token


def test_tokens_that_spell_the_same_word_share_its_string() -> None:
    words = ["".join(["apt", "-get", str(i % 2)]) for i in range(4)]  # four distinct strings
    tokens = [Token(w, Span.of(i, 0, i, 8)) for i, w in enumerate(words)]
    assert tokens[0].text is tokens[2].text and tokens[1].text is tokens[3].text
    assert tokens[0].text == "apt-get0"


def test_stage_lookups_by_instruction_identity_and_by_name() -> None:
    text = "ARG V=1\nFROM a AS one\nONBUILD RUN x\nFROM b AS One\nRUN y\nFROM c\n"
    doc = parse(text)
    first, second, third = doc.stages
    arg, from_a, onbuild, from_b, run_y, from_c = doc.instructions
    assert doc.stage_of(arg) is None  # before the first FROM
    assert doc.stage_of(from_a) is first and doc.stage_of(onbuild) is first
    assert doc.stage_of(from_b) is second and doc.stage_of(run_y) is second
    assert doc.stage_of(from_c) is third
    assert onbuild.trigger is not None and doc.stage_of(onbuild.trigger) is None
    assert parse(text).stage_of(run_y) is None  # an equal instruction of another parse
    assert doc.stage_called("ONE") is first  # the first of that name wins
    assert doc.stage_named("2") is third and doc.stage_named("nope") is None


def test_equal_parts_of_instructions_are_kept_once() -> None:
    doc = parse('FROM a\nWORKDIR /app\nrun x\nRUN y\nENV A=b C="d"\n')
    workdir, run_x, run_y, env = doc.instructions[1:]
    assert workdir.rest is not None and workdir.args[0] is workdir.rest  # one argument
    assert run_x.name is run_y.name == "RUN"
    plain, quoted = env.pairs
    assert plain.value is plain.raw_value  # nothing to unquote
    assert quoted.value is not None and quoted.raw_value is not None
    assert (quoted.value.text, quoted.raw_value.text) == ("d", '"d"')
    assert quoted.value.span == quoted.raw_value.span
