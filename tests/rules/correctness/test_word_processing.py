"""BuildKit's word processing: quotes, escapes and substitutions (word_processing)."""

from __future__ import annotations

import pytest

from dockerls.rules.correctness.word_processing import process_word


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


def test_plain_words_take_the_fast_path_with_the_lexers_result() -> None:
    from dockerls.rules.correctness.word_processing import Processed, _Lexer, process_word

    for word in ("node:20", "/app", "a=b", "--flag", "", "é🐳"):
        assert process_word(word, {}) == Processed(
            _Lexer(word, {}, "\\", False).until(""), (), None
        )
    assert process_word("$A", {"A": "1"}).value == "1"
    assert process_word("'x y'", {}).value == "x y"
    assert process_word("a`b", {}, "`").value == "ab"
