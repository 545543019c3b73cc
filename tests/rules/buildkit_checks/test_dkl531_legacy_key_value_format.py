"""DKL531 legacy-key-value-format: flagged, clean and fix cases."""

from __future__ import annotations

from dockerls.rules.correctness.word_processing import process_word
from dockerls.syntax import parse
from tests.rulecheck import check, clean, fixed
from tests.rules.roundtrip import roundtrip


def test_legacy_env_single_word() -> None:
    roundtrip("DKL531", "FROM a\nENV ⟨NODE_ENV⟩ production\n", "FROM a\nENV NODE_ENV=production\n")


def test_legacy_env_several_words_are_quoted() -> None:
    text = "FROM a\nENV JAVA_OPTS -Xms256m  -Xmx1g $EXTRA\n"
    new = fixed("DKL531", text)
    assert new == 'FROM a\nENV JAVA_OPTS="-Xms256m  -Xmx1g $EXTRA"\n'
    clean("DKL531", new)
    old_value = parse(text).instructions[1].pairs[0].raw_value
    new_value = parse(new).instructions[1].pairs[0].raw_value
    assert old_value is not None and new_value is not None
    env = {"EXTRA": "-x"}
    assert process_word(old_value.text, env).value == process_word(new_value.text, env).value


def test_legacy_label_quoted_value_is_kept() -> None:
    roundtrip(
        "DKL531",
        'FROM a\nLABEL ⟨maintainer⟩ "Jane Doe"\n',
        'FROM a\nLABEL maintainer="Jane Doe"\n',
    )


def test_legacy_without_a_safe_rewrite_has_no_fix() -> None:
    (f,) = check("DKL531", 'FROM a\nENV ⟨A⟩ "x" y\n')
    assert not f.fixes


def test_legacy_clean() -> None:
    clean("DKL531", "FROM a\nENV A=1 B=2\nLABEL a=b\nARG C\n")
