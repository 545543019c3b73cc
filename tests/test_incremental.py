"""Incremental analysis: ``Analyzer`` reuses what an edit did not touch, and its result
is always the one a fresh ``analyze`` gives (findings, spans, model and graph)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dockerls.shell
from bench.generate import dockerfile
from dockerls.analysis import Analysis, Analyzer, analyze
from dockerls.config import Settings
from dockerls.context import BuildContext
from dockerls.shell import Script
from dockerls.syntax import Instruction, Reuse, parse
from tests.corpus import corpus_files, read

BASE = dockerfile(60)


def same(got: Analysis, want: Analysis) -> None:
    assert got.document == want.document
    assert got.findings == want.findings
    assert got.graph == want.graph


def edited(text: str, line: int, column: int, new: str, cut: int = 0) -> str:
    lines = text.split("\n")
    line %= len(lines)
    column = min(column, len(lines[line]))
    row = lines[line]
    lines[line] = row[:column] + new + row[column + cut :]
    return "\n".join(lines)


# Edits that move the parser's state: line breaks, continuations, heredoc markers and
# terminators, comments, the escape directive, a BOM, new instructions and stages.
PIECES = st.sampled_from(
    [
        "x",
        " ",
        "\n",
        "\r\n",
        "\\",
        "\\\n",
        "`",
        "#",
        "# escape=`\n",
        "<<EOF",
        "\nEOF\n",
        "\nEOF",
        "EOF",
        "RUN apt-get install -y curl\n",
        "FROM alpine AS b\n",
        "COPY --from=b /a /b\n",
        'SHELL ["pwsh", "-c"]\n',
        "ENV A=1\n",
        "ARG V=2\n",
        "USER root\n",
        "$",
        '"',
        "🐳",
        "\ufeff",
        "",
    ]
)

# Line 0 (directives, BOM) and the last line (what runs to the end of the text) often.
LINES = st.one_of(st.just(0), st.just(-1), st.integers(0, 400))
EDITS = st.lists(
    st.tuples(LINES, st.integers(0, 120), st.lists(PIECES, max_size=3).map("".join)),
    min_size=1,
    max_size=12,
)


def _corpus_texts() -> list[str]:
    files = corpus_files()
    return [read(p) for p in files[:: max(1, len(files) // 12)]] if files else []


BASES = st.one_of(
    st.sampled_from(
        [
            BASE,
            "# a comment\n" + dockerfile(20),
            "FROM alpine\nRUN apk add \\\n  curl \\",  # a continuation cut by the end
            "FROM alpine\nRUN <<EOF\necho hi",  # a heredoc cut by the end
        ]
    ),
    st.sampled_from(_corpus_texts() or [BASE]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BASES, EDITS, st.data())
def test_incremental_analysis_equals_a_fresh_one(
    base: str, edits: list[tuple[int, int, str]], data: st.DataObject
) -> None:
    analyzer = Analyzer()
    text = base
    same(analyzer.analyze(text), analyze(text))
    for line, column, new in edits:
        cut = data.draw(st.integers(0, 3))
        text = edited(text, line, column, new, cut)
        same(analyzer.analyze(text), analyze(text))


def test_an_edit_inside_one_line_takes_over_every_other_instruction() -> None:
    reuse = Reuse()
    first = parse(BASE, reuse)
    text = edited(BASE, 20, 3, "x")
    second = parse(text, reuse)
    assert second == parse(text)
    changed = [
        i for i, ins in enumerate(second.instructions) if ins.start_line <= 20 <= ins.end_line
    ]
    assert reuse.hits == len(second.instructions) - len(changed) == len(first.instructions) - 1
    for index, ins in enumerate(second.instructions):
        assert (ins is first.instructions[index]) == (index not in changed)


def test_a_changed_escape_directive_reads_every_instruction_again() -> None:
    reuse = Reuse()
    parse("# a comment\n" + BASE, reuse)
    text = "# escape=`\n" + BASE  # the same lines, read with another escape character
    assert parse(text, reuse) == parse(text)
    assert reuse.hits == 0


@pytest.mark.parametrize(
    "head", ["FROM alpine\nRUN <<EOF\necho hi", "FROM alpine\nRUN apk add \\\n  curl \\"]
)
def test_an_instruction_cut_short_by_the_end_of_the_text_is_read_again_when_it_grows(
    head: str,
) -> None:
    for grown in ("\nEOF", "\nEOF\nRUN true\n", "\n  git", "\n"):
        reuse = Reuse()
        parse(head, reuse)
        text = head + grown
        assert parse(text, reuse) == parse(text)


def count_shell_parses(monkeypatch: pytest.MonkeyPatch) -> list[Instruction]:
    parsed: list[Instruction] = []
    real: Callable[..., Script] = dockerls.shell.script_of

    def counting(instruction: Instruction, shell: object = None) -> Script:
        parsed.append(instruction)
        return real(instruction, shell)

    monkeypatch.setattr(dockerls.shell, "script_of", counting)
    return parsed


def test_a_keystroke_parses_only_the_edited_run_again(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = count_shell_parses(monkeypatch)
    analyzer = Analyzer()
    analyzer.analyze(BASE)
    first = len(parsed)
    assert first >= 10  # every RUN and the CMD
    line = next(i for i, row in enumerate(BASE.split("\n")) if row.startswith("RUN --mount"))
    text = edited(BASE, line, len("RUN --mount"), "x")
    parsed.clear()
    result = analyzer.analyze(text)
    assert [ins.start_line for ins in parsed] == [line]
    same(result, analyze(text))
    assert len(parsed) == 1 + first  # a fresh analysis parses every script


def test_a_new_shell_reparses_the_runs_it_governs(monkeypatch: pytest.MonkeyPatch) -> None:
    analyzer = Analyzer()
    base = "FROM alpine\nRUN echo a\nRUN echo b\n"
    analyzer.analyze(base)
    text = 'FROM alpine\nSHELL ["pwsh", "-c"]\nRUN echo a\nRUN echo b\n'
    same(analyzer.analyze(text), analyze(text))
    same(analyzer.analyze(base), analyze(base))


def test_settings_and_context_changes_are_not_answered_from_the_last_result() -> None:
    analyzer = Analyzer()
    text = "FROM node AS a\nRUN npm install\nFROM alpine\nRUN apk add curl\n"
    plain = analyzer.analyze(text)
    assert analyzer.analyze(text) is plain  # nothing changed: the same result
    for config in (Settings(target="a"), Settings(ignore=("DKL402",))):
        same(analyzer.analyze(text, config), analyze(text, config))
    known = BuildContext(known=True, files=frozenset({"package.json"}))
    same(analyzer.analyze(text, None, known), analyze(text, None, known))
