"""Code actions as data: ignore pragmas, fix-all, minimal edits, what is offered where."""

from __future__ import annotations

import pytest

from dockerls.actions import fixall, ignore
from dockerls.actions.fixall import FixAllResult, fix_all, instruction_delta, text_edits
from dockerls.actions.offers import (
    ActionKind,
    ActionRef,
    Surroundings,
    What,
    offers,
    recall,
    wanted,
)
from dockerls.analysis import Analysis, analyze
from dockerls.context import BuildContext
from dockerls.convert import action_data, action_ref
from dockerls.edits import apply_edits
from dockerls.findings import Finding, Fix, TextEdit
from dockerls.syntax import Position, Severity, Span, parse

FIXABLE = "FROM alpine:3.20\nADD run.sh /app/\nRUN apk add curl\nUSER nobody\n"
FIXED = "FROM alpine:3.20\nCOPY run.sh /app/\nRUN apk add --no-cache curl\nUSER nobody\n"


def only(code: str, text: str) -> Finding:
    [found] = [f for f in analyze(text).findings if f.code == code]
    return found


def ignored(text: str, code: str, scope: str) -> str:
    doc = parse(text)
    finding = only(code, text)
    edit = (
        ignore.ignore_instruction(doc, finding)
        if scope == "instruction"
        else ignore.ignore_file(doc, code)
    )
    assert edit is not None
    return apply_edits(text, [edit])


# --------------------------------------------------------------------------- ignore pragmas


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_ignore_for_an_instruction_keeps_indentation_and_line_breaks(newline: str) -> None:
    text = newline.join(["FROM alpine:3.20", "    ADD run.sh /app/", "USER nobody", ""])
    fixed = ignored(text, "DKL405", "instruction")
    assert fixed == newline.join(
        [
            "FROM alpine:3.20",
            "    # dockerls: ignore=DKL405",
            "    ADD run.sh /app/",
            "USER nobody",
            "",
        ]
    )
    assert not [f for f in analyze(fixed).findings if f.code == "DKL405"]


def test_ignore_joins_a_pragma_directly_above() -> None:
    text = "FROM alpine:3.20\n# dockerls: ignore=DKL999\n\n# why\nADD run.sh /app/\n"
    fixed = ignored(text, "DKL405", "instruction")
    assert fixed.splitlines()[1] == "# dockerls: ignore=DKL999,DKL405"
    assert not [f for f in analyze(fixed).findings if f.code == "DKL405"]


def test_ignore_does_not_join_a_pragma_above_another_instruction() -> None:
    text = "FROM alpine:3.20\n# dockerls: ignore=DKL999\nUSER nobody\nADD run.sh /app/\n"
    fixed = ignored(text, "DKL405", "instruction")
    assert fixed.splitlines()[1:4] == [
        "# dockerls: ignore=DKL999",
        "USER nobody",
        "# dockerls: ignore=DKL405",
    ]


def test_ignore_after_a_byte_order_mark() -> None:
    text = "\ufeffADD run.sh /app/\n"
    doc = parse(text)
    finding = Finding("DKL405", "x", Severity.WARNING, "m", Span.of(0, 1, end=4))
    edit = ignore.ignore_instruction(doc, finding)
    assert edit is not None
    assert apply_edits(text, [edit]) == "\ufeff# dockerls: ignore=DKL405\nADD run.sh /app/\n"
    edit = ignore.ignore_file(doc, "DKL405")
    assert edit is not None
    assert apply_edits(text, [edit]) == "\ufeff# dockerls: ignore-file=DKL405\nADD run.sh /app/\n"


def test_ignore_in_file_goes_after_directives_and_the_leading_comments() -> None:
    text = (
        "# syntax=docker/dockerfile:1\n# escape=\\\n# Builds the app.\nFROM alpine:3.20\nADD a /a\n"
    )
    fixed = ignored(text, "DKL405", "file")
    lines = fixed.splitlines()
    assert lines[3] == "# dockerls: ignore-file=DKL405"
    assert [d.name.text for d in parse(fixed).directives] == ["syntax", "escape"]
    assert not [f for f in analyze(fixed).findings if f.code == "DKL405"]


def test_ignore_in_file_joins_an_existing_pragma() -> None:
    text = "FROM alpine:3.20\n# dockerls: ignore-file=DKL103  \nADD a /a\n"
    fixed = ignored(text, "DKL405", "file")
    assert fixed.splitlines()[1] == "# dockerls: ignore-file=DKL103,DKL405  "
    assert ignore.ignore_file(parse(fixed), "dkl405") is None  # already silenced


def test_ignore_in_a_file_of_comments_only() -> None:
    doc = parse("# just a comment")
    edit = ignore.ignore_file(doc, "DKL001")
    assert edit is not None
    assert apply_edits(doc.text, [edit]) == "# just a comment\n# dockerls: ignore-file=DKL001"


def test_no_instruction_ignore_off_an_instruction() -> None:
    doc = parse("# only a comment\n")
    finding = Finding("DKL000", "x", Severity.HINT, "m", Span.of(0, 0))
    assert ignore.ignore_instruction(doc, finding) is None


def test_newline_of() -> None:
    assert ignore.newline_of("a\r\nb\n") == "\r\n"
    assert ignore.newline_of("a\rb\n") == "\r"
    assert ignore.newline_of("a\nb\r\n") == "\n"
    assert ignore.newline_of("ab") == "\n"


# --------------------------------------------------------------------------- fix-all


def test_fix_all_applies_every_safe_fix() -> None:
    result = fix_all(FIXABLE)
    assert result.text == FIXED
    assert result.applied == {"DKL405": 1, "DKL103": 1}
    assert result.count == 2
    again = fix_all(result.text)
    assert again.text == result.text
    assert again.applied == {}


def test_fix_all_keeps_line_breaks_and_the_byte_order_mark() -> None:
    text = "\ufeff" + FIXABLE.replace("\n", "\r\n")
    assert fix_all(text).text == "\ufeff" + FIXED.replace("\n", "\r\n")


def test_fix_all_leaves_unsafe_fixes_unless_asked() -> None:
    text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
    safe = fix_all(text, None)
    assert "DKL101" not in safe.applied
    unsafe = fix_all(text, None, unsafe=True)
    assert unsafe.applied.get("DKL101") == 1
    assert "--no-install-recommends" in unsafe.text


def _fake(findings: list[Finding]) -> object:
    def analyze_fake(text: str, settings: object = None, context: object = None) -> Analysis:
        real = analyze(text)
        return Analysis(real.document, tuple(findings) if text == FIXABLE else ())

    return analyze_fake


def test_fix_all_drops_a_fix_that_breaks_the_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    span = Span.of(0, 0, end=4)
    breaks = Fix("Break it", (TextEdit(Span.of(1, 0, end=3), "RUN <<EOF"),))
    # Deleting the line break joins two instructions into one.
    loses = Fix("Lose an instruction", (TextEdit(Span(Position(1, 16), Position(2, 0)), ""),))
    good = Fix("Fine", (TextEdit(Span.of(3, 0, end=4), "user"),))
    findings = [
        Finding("DKL900", "a", Severity.WARNING, "m", span, fixes=(breaks,)),
        Finding("DKL901", "b", Severity.WARNING, "m", span, fixes=(loses,)),
        Finding("DKL902", "c", Severity.WARNING, "m", span, fixes=(good,)),
    ]
    monkeypatch.setattr(fixall, "analyze", _fake(findings))
    result = fix_all(FIXABLE)
    assert result.applied == {"DKL902": 1}
    assert result.rejected == {"DKL900": 1, "DKL901": 1}
    assert result.text == FIXABLE.replace("USER", "user")


def test_fixes_touching_one_place_wait_a_round(monkeypatch: pytest.MonkeyPatch) -> None:
    at = Span.of(2, 11)
    first = Fix("One", (TextEdit(at, " -a"),))
    second = Fix("Two", (TextEdit(at, " -b"),))
    span = Span.of(0, 0, end=4)
    findings = [
        Finding("DKL900", "a", Severity.WARNING, "m", span, fixes=(first,)),
        Finding("DKL901", "b", Severity.WARNING, "m", span, fixes=(second,)),
    ]
    monkeypatch.setattr(fixall, "analyze", _fake(findings))
    result = fix_all(FIXABLE)
    assert result.applied == {"DKL900": 1}  # the other one is gone after re-analysis here
    assert "apk add -a curl" in result.text


def test_instruction_delta() -> None:
    doc = parse("FROM a\nRUN apt-get update\nRUN apt-get install -y x\nARG V\n")
    delete_run = Fix("d", (TextEdit(Span(Position(1, 0), Position(2, 0)), ""),))
    assert instruction_delta(doc, delete_run) == -1
    move_arg = Fix(
        "m",
        (
            TextEdit(Span(Position(3, 0), Position(4, 0)), ""),
            TextEdit(Span(Position(1, 0), Position(1, 0)), "ARG V\n"),
        ),
    )
    assert instruction_delta(doc, move_arg) == 0
    rename = Fix("r", (TextEdit(Span.of(1, 0, end=3), "COPY"),))
    assert instruction_delta(doc, rename) == 0
    append = Fix("a", (TextEdit(Span.of(3, 5), "\nUSER x"),))
    assert instruction_delta(doc, append) == 1
    join = Fix("j", (TextEdit(Span(Position(1, 18), Position(2, 0)), " && "),))
    assert instruction_delta(doc, join) == 0  # so the lost RUN is caught
    drop_last = Fix("l", (TextEdit(Span(Position(2, 24), Position(3, 5)), ""),))
    assert instruction_delta(doc, drop_last) == -1


def test_fix_all_result_defaults() -> None:
    assert FixAllResult("x").count == 0


# --------------------------------------------------------------------------- minimal edits


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (FIXABLE, FIXED),
        ("a\r\nb\r\nc", "a\r\nB\r\nc"),
        ("a\r\nb", "a\nb"),
        ("a\nb", "a\nb\n"),
        ("a\nb\n", "a\n"),
        ("", "x\n"),
        ("x", ""),
        ("a\rb\rc\r", "a\rx\rb\rc\r"),
        ("🐳 a\nb", "🐳 b\nb"),
    ],
)
def test_text_edits_rebuild_the_text(before: str, after: str) -> None:
    edits = text_edits(before, after)
    assert apply_edits(before, edits) == after


def test_text_edits_leave_untouched_lines_alone() -> None:
    edits = text_edits(FIXABLE, FIXED)
    assert [(e.span, e.new_text) for e in edits] == [
        (Span.of(1, 0, end=3), "COPY"),
        (Span.of(2, 12), "--no-cache "),  # the same insertion, found from the left
    ]
    assert text_edits(FIXED, FIXED) == []


# --------------------------------------------------------------------------- offers


def test_the_first_safe_fix_is_preferred_and_unsafe_ones_never() -> None:
    text = "FROM debian:12\nRUN apt-get update && apt-get install curl\n"
    analysis = analyze(text)
    line = Position(1, 0), Position(1, 60)
    actions = offers(analysis, *line, ["quickfix"])
    by_code: dict[str, list[tuple[str, bool]]] = {}
    for action in actions:
        assert action.finding is not None
        by_code.setdefault(action.finding.code, []).append((action.title, action.preferred))
    unsafe = by_code["DKL101"]
    assert not any(preferred for _, preferred in unsafe)
    assert unsafe[-2:] == [
        ("Ignore DKL101 for this instruction", False),
        ("Ignore DKL101 in this file", False),
    ]
    assert [p for _, p in by_code["DKL102"]].count(True) == 1


def test_wanted() -> None:
    assert wanted(ActionKind.FIX_ALL, ["source"])
    assert wanted(ActionKind.FIX_ALL, ["source.fixAll"])
    assert not wanted(ActionKind.FIX_ALL, ["quickfix"])
    assert wanted(ActionKind.REFACTOR, ["refactor"])
    assert not wanted(ActionKind.REFACTOR, ["refactor.extract"])
    assert wanted(ActionKind.QUICKFIX, None)
    assert wanted(ActionKind.QUICKFIX, [])


def test_recall_finds_the_same_action_and_refuses_a_changed_one() -> None:
    analysis = analyze(FIXABLE)
    actions = offers(analysis, Position(1, 0), Position(1, 0), ["quickfix"])
    for action in actions:
        assert recall(analysis, action.ref) == action
    moved = actions[0].ref
    assert (
        recall(analysis, ActionRef(moved.what, moved.finding, moved.code, Position(9, 9))) is None
    )
    assert recall(analysis, ActionRef(What.FIX, 99, "DKL405")) is None


def test_action_data_round_trips() -> None:
    ref = ActionRef(What.IGNORE_FILE, 2, "DKL405", Position(3, 4), 1, 0)
    found = action_ref(action_data(ref, "file:///x/Dockerfile", 7))
    assert found == ("file:///x/Dockerfile", 7, ref)
    assert action_ref({"uri": "u"}) is None
    assert action_ref("nonsense") is None
    assert action_ref({**action_data(ref, "u", 1), "what": "explode"}) is None


def _context(**kwargs: object) -> BuildContext:
    base = {"known": True, "files": frozenset({"package.json"}), "listing_complete": True}
    return BuildContext(**{**base, **kwargs})  # type: ignore[arg-type]


COPY_ALL = "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nUSER node\n"


def test_create_a_dockerignore_only_when_the_client_can() -> None:
    context = _context(directories=frozenset({"node_modules"}))
    analysis = analyze(COPY_ALL, None, context)
    start = Position(2, 5)
    around = Surroundings(context, "/p", None, can_create=True)
    [create] = [a for a in offers(analysis, start, start, around=around) if a.files]
    [change] = create.files
    assert change.create
    assert change.path == "/p/.dockerignore"
    assert "**/node_modules\n" in change.edits[0].new_text
    assert not create.preferred
    around = Surroundings(context, "/p", None, can_create=False)
    assert not [a for a in offers(analysis, start, start, around=around) if a.files]


def test_append_to_a_dockerignore() -> None:
    from dockerls.dockerignore import DockerIgnore

    context = _context(
        directories=frozenset({"node_modules", ".git"}),
        dockerignore=DockerIgnore.parse("*.log"),
        dockerignore_path="/p/.dockerignore",
    )
    analysis = analyze(COPY_ALL, None, context)
    start = Position(2, 5)
    around = Surroundings(context, "/p", "*.log", can_create=True)
    [append] = [a for a in offers(analysis, start, start, around=around) if a.files]
    [change] = append.files
    assert not change.create
    assert append.title == "Add node_modules, .git to .dockerignore"
    assert apply_edits("*.log", change.edits) == "*.log\nnode_modules\n.git\n"
    unread = Surroundings(context, "/p", None, can_create=True)
    assert not [a for a in offers(analysis, start, start, around=unread) if a.files]


# --------------------------------------------------------------------------- refactors

NPM_APP = 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n'


def test_the_reorder_refactor_is_offered_for_dkl301() -> None:
    from dockerls.context import CONTEXT_EMPTY

    analysis = analyze(NPM_APP)
    around = Surroundings(CONTEXT_EMPTY)
    [flagged] = [f for f in analysis.findings if f.code == "DKL301"]
    at = flagged.span.start
    [refactor] = [
        a for a in offers(analysis, at, at, around=around) if a.kind == ActionKind.REFACTOR
    ]
    assert refactor.title == "Copy package*.json before COPY . . (npm)"
    assert not refactor.preferred
    assert apply_edits(NPM_APP, refactor.edits).splitlines()[2] == "COPY package*.json ./"
    assert recall(analysis, refactor.ref, around) == refactor
    # Elsewhere in the stage only when refactors are asked for.
    cmd = Position(4, 0)
    assert not [
        a for a in offers(analysis, cmd, cmd, around=around) if a.kind == ActionKind.REFACTOR
    ]
    asked = offers(analysis, cmd, cmd, ["refactor"], around=around)
    reorders = [a for a in asked if a.ref.what == What.REFACTOR]
    assert [a.title for a in reorders] == [refactor.title]
    # The stage also ships its dev dependencies (DKL204): the split is offered beside it.
    assert [a for a in asked if a.ref.what == What.SPLIT]


GO_APP = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app .\nCMD ["/bin/app"]\n'


def test_the_split_is_offered_per_runtime_and_recalled() -> None:
    from dockerls.context import CONTEXT_EMPTY

    analysis = analyze(GO_APP)
    around = Surroundings(CONTEXT_EMPTY)
    [single] = [f for f in analysis.findings if f.code == "DKL203"]
    splits = [
        a
        for a in offers(analysis, single.span.start, single.span.start, around=around)
        if a.ref.what == What.SPLIT
    ]
    assert [a.title.split(" (runtime on ")[1].split(")")[0] for a in splits] == [
        "gcr.io/distroless/static-debian13:nonroot",
        "scratch — CA certificates copied from the builder",
    ]
    assert all(a.kind == ActionKind.REFACTOR and a.edits and a.notes for a in splits)
    for split in splits:
        assert recall(analysis, split.ref, around) == split
    assert apply_edits(GO_APP, splits[1].edits).splitlines()[5] == "FROM scratch"


def test_an_impossible_split_is_offered_disabled_with_its_reason() -> None:
    from dockerls.context import CONTEXT_EMPTY

    text = (
        "FROM golang:1.22 AS build\nRUN go build -o /app .\n"
        "FROM golang:1.22\nCOPY --from=build /app /app\n"
    )
    analysis = analyze(text)
    at = Position(2, 5)
    [split] = [
        a
        for a in offers(analysis, at, at, ["refactor"], around=Surroundings(CONTEXT_EMPTY))
        if a.ref.what == What.SPLIT
    ]
    assert split.title == "Slim the final stage"  # the multi-stage file's refactor
    assert split.disabled is not None and "Node or Python final stage" in split.disabled
    assert split.edits == ()
