"""Incremental analysis: ``Analyzer`` reuses what an edit did not touch, and its result
is always the one a fresh ``analyze`` gives (findings, spans, model and graph)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dockerls.shell
from bench.generate import dockerfile
from dockerls.analysis import Analysis, Analyzer, analyze
from dockerls.config import Settings
from dockerls.context import CONTEXT_EMPTY, BuildContext
from dockerls.graph import build_graph
from dockerls.rules.engine import Rule, RuleContext, Scope
from dockerls.rules.registry import all_rules
from dockerls.shell import Script
from dockerls.syntax import Instruction, Reuse, Stage, parse
from dockerls.syntax.parser import _unchanged
from tests.corpus import corpus_files, corpus_params, read

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
    configs = (
        Settings(target="a"),
        Settings(ignore=("DKL402",)),
        Settings(select=("DKL402",)),
        Settings(),  # the rules chosen by the settings before are not kept
    )
    for config in configs:
        same(analyzer.analyze(text, config), analyze(text, config))
    known = BuildContext(known=True, files=frozenset({"package.json"}))
    same(analyzer.analyze(text, None, known), analyze(text, None, known))


# -- findings kept per stage (STAGE-scoped rules) --------------------------------------


def _stage_rules() -> list[Rule]:
    return [r for r in all_rules() if r.scope is Scope.STAGE]


def _hits(r: Rule, ctx: RuleContext) -> list[tuple[object, ...]]:
    return sorted(
        ((h.span, h.message, h.fixes, h.related, tuple(sorted(h.tags))) for h in r.check(ctx)),
        key=repr,
    )


@pytest.mark.parametrize("path", corpus_params())
def test_a_stage_scoped_rule_finds_in_each_stage_alone_what_it_finds_in_the_file(
    path: Path,
) -> None:
    doc = parse(read(path))
    ctx = RuleContext(doc, build_graph(doc), CONTEXT_EMPTY)
    assert len(_stage_rules()) >= 40
    for r in _stage_rules():
        whole = _hits(r, ctx)
        alone: list[tuple[object, ...]] = []
        for stage in doc.stages:
            ctx.only = (stage,)
            try:
                alone += _hits(r, ctx)
            finally:
                ctx.only = None
        assert sorted(alone, key=repr) == whole, r.code


def _multi_stage() -> str:
    return (
        "# syntax=docker/dockerfile:1\n"
        "ARG BASE=node:20\nARG TOKEN=secret\n"
        + dockerfile(60)
        + "FROM build1 AS child\nRUN npm install && apt-get update\n"
        "RUN apt-get update\nRUN apt-get install -y curl\n"
        "COPY . /app\nRUN pip install -r /app/requirements.txt\nWORKDIR /src/$VERSIN_1\n"
        "COPY --from=build0 /src /src\n"
        "# dockerls: ignore=DKL205\nRUN npm install\n"
        'FROM ${BASE} AS last\nSHELL ["/bin/bash", "-c"]\nRUN pip install flask\n'
    )


MULTI = _multi_stage()
MULTI_LINES = MULTI.split("\n")


def _line_of(prefix: str) -> int:
    return next(i for i, row in enumerate(MULTI_LINES) if row.startswith(prefix))


# Edits aimed at what a stage's kept findings depend on: one stage's body, global ARGs,
# FROM lines and stage names (COPY --from sources), SHELL, the escape directive,
# suppression comments, line breaks and lines inserted or removed above a stage.
TARGETED = st.sampled_from(
    [
        (0, 0, "# escape=`\n"),
        (0, 0, "\n"),
        (_line_of("ARG BASE"), 9, "x"),
        (_line_of("ARG BASE"), 0, "ARG EXTRA=1\n"),
        (_line_of("FROM node:20-bookworm AS build1"), 30, "x"),
        (_line_of("FROM node:20-bookworm AS build0"), 5, "alpine:3.19 AS old\nFROM "),
        (_line_of("FROM build1 AS child"), 6, "0"),
        (_line_of("COPY --from=build0"), 13, "1"),
        (_line_of("SHELL"), 0, "#"),
        (_line_of("RUN pip install"), 0, 'SHELL ["pwsh", "-c"]\n'),
        (_line_of("# dockerls: ignore=DKL205"), 2, "x"),
        (_line_of("RUN npm install"), 0, "# dockerls: ignore=DKL205\n"),
        (_line_of("RUN --mount=type=cache"), 3, " --mount=type=cache,target=/root/.npm"),
        (_line_of("RUN apt-get update"), 0, "\n"),
        (_line_of("USER nonroot"), 5, "x"),
        (_line_of("ENV NODE_ENV"), 4, "NPM_CONFIG_CACHE=/tmp "),
        (_line_of("RUN apt-get update"), 40, "\r\n"),
        (-1, 0, "FROM scratch\n"),
        (_line_of("EOF"), 1, "x"),  # the heredoc now runs over the next FROM
        (_line_of("RUN <<EOF"), 5, "x"),  # no heredoc: its body becomes instructions
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TARGETED, st.integers(0, 2)), min_size=1, max_size=6))
def test_findings_kept_per_stage_equal_a_fresh_analysis(
    edits: list[tuple[tuple[int, int, str], int]],
) -> None:
    analyzer = Analyzer()
    text = MULTI
    same(analyzer.analyze(text), analyze(text))
    for (line, column, new), cut in edits:
        text = edited(text, line, column, new, cut)
        same(analyzer.analyze(text), analyze(text))


def count_checked_stages(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The indices of the stages STAGE-scoped rules check alone, as they are checked."""
    checked: list[int] = []
    real = RuleContext.stages

    def counting(self: RuleContext) -> tuple[Stage, ...]:
        if self.only is not None:
            checked.extend(s.index for s in self.only)
        return real.fget(self)  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr(RuleContext, "stages", property(counting))
    return checked


def test_an_edit_in_one_stage_checks_only_that_stage_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checked = count_checked_stages(monkeypatch)
    analyzer = Analyzer()
    analyzer.analyze(BASE)
    stages = len(parse(BASE).stages)
    assert set(checked) == set(range(stages))
    line = next(i for i, row in enumerate(BASE.split("\n")) if "AS build2" in row) + 4
    text = edited(BASE, line, 3, "x")
    checked.clear()
    same(analyzer.analyze(text), analyze(text))
    assert set(checked) == {2}


def test_a_heredoc_that_swallows_a_from_leaves_the_stages_below_their_findings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checked = count_checked_stages(monkeypatch)
    analyzer = Analyzer()
    analyzer.analyze(BASE)
    line = BASE.split("\n").index("EOF")  # stage 0's terminator
    broken = edited(BASE, line, 1, "x")
    assert len(parse(broken).stages) == len(parse(BASE).stages) - 1
    # the runtime stage copies from stage 0, so its findings are worked out again too
    last = len(parse(BASE).stages) - 1
    for text, again in ((broken, {0, last - 1}), (BASE, {0, 1, last})):
        checked.clear()
        same(analyzer.analyze(text), analyze(text))
        assert set(checked) == again


def _unchanged_by_walking(old: list[str], new: list[str]) -> tuple[int, int]:
    before = 0
    while before < min(len(old), len(new)) and old[before] == new[before]:
        before += 1
    if len(old) != len(new):
        return before, len(new)
    after = len(new)
    while after > before and old[after - 1] == new[after - 1]:
        after -= 1
    return before, after


@given(
    st.lists(st.sampled_from("ab"), max_size=12),
    st.lists(st.tuples(st.integers(0, 12), st.sampled_from(["a", "b", "c", None])), max_size=4),
)
def test_the_unchanged_lines_around_an_edit_are_found_by_bisection(
    old: list[str], edits: list[tuple[int, str | None]]
) -> None:
    new = list(old)
    for at, line in edits:
        if line is None:
            if new:
                new.pop(at % len(new))
        elif at % 2:
            new.insert(at % (len(new) + 1), line)
        elif new:
            new[at % len(new)] = line
    assert _unchanged(old, new) == _unchanged_by_walking(old, new)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BASES, EDITS, st.data())
def test_what_a_parse_leaves_for_the_next_is_exactly_its_own_reading(
    base: str, edits: list[tuple[int, int, str]], data: st.DataObject
) -> None:
    """Runs of blocks are taken over in bulk: what ``Reuse`` keeps must still describe the
    latest parse exactly, edit after edit, or a later parse would take over stale blocks."""
    reuse = Reuse()
    text = base
    parse(text, reuse)
    for line, column, new in edits:
        text = edited(text, line, column, new, data.draw(st.integers(0, 3)))
        doc = parse(text, reuse)
        assert doc == parse(text)
        blocks = [block for _, block in reuse.order]
        assert all(b.instruction is i for b, i in zip(blocks, doc.instructions, strict=True))
        assert reuse.instructions == list(doc.instructions)
        assert reuse.blocks == {(first, doc.escape): block for first, block in reuse.order}
        assert reuse.ends == [first + len(block.lines) for first, block in reuse.order]
        for block in blocks:
            assert reuse.tokens[id(block.instruction)] is block.token


def test_a_stage_an_edit_leaves_alone_keeps_its_key_and_one_that_reads_the_edit_does_not() -> None:
    """Stage keys are made again only where an edit can change them: the stage edited,
    and the stages built on it or copying from it."""
    analyzer = Analyzer()
    analyzer.analyze(BASE)
    memory = analyzer._memory
    assert memory is not None
    before = {i: made[2] for i, made in memory.made.items()}
    # An edit inside the first stage: the final stage copies from it (COPY --from=build0).
    text = BASE.replace("WORKDIR /src/0", "WORKDIR /src/0x", 1)
    same(analyzer.analyze(text), analyze(text))
    after = {i: made[2] for i, made in memory.made.items()}
    first, middle, last = 0, 1, len(after) - 1
    assert after[first] is not before[first]
    assert after[middle] is before[middle]
    assert after[last] is not before[last]


def test_syntax_first_is_the_parsers_share_of_the_analysis_that_follows() -> None:
    text = dockerfile(1_200) + "FROM\nRUN <<EOF\necho hi\n"
    analyzer = Analyzer()
    first = analyzer.syntax_first(text)
    assert first is not None
    full = analyzer.analyze(text)
    assert analyzer.reused == len(full.document.instructions)  # parsed once
    syntax = [f for f in full.findings if f.code.startswith("DKL0")]
    assert {f.code for f in syntax} == {"DKL002", "DKL003"}
    assert first.findings == tuple(syntax)
    same(full, analyze(text))
    assert analyzer.syntax_first(text) is None  # analysed already: nothing to do first


def test_syntax_first_keeps_the_settings() -> None:
    text = "FROM\n# dockerls: ignore=DKL003\nRUN <<EOF\n"
    settings, problems = Settings.from_mapping({"severity": {"DKL002": "hint"}})
    assert problems == []
    first = Analyzer().syntax_first(text, settings)
    assert first is not None
    assert [(f.code, f.severity.name) for f in first.findings] == [("DKL002", "HINT")]
