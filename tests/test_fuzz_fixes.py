"""Fuzzing every fix, fix-all, the split refactor and the reorder refactor.

Dockerfiles come from a grammar of realistic instruction lines (chosen to set off
the rules that have fixes, plus one build per ecosystem the split knows), written
with LF, CRLF or mixed line breaks, continuation lines, comments inside them and
heredocs, then mutated with the character pieces of ``test_properties`` (lone CR,
BOM, multi-byte, escapes, quotes). For every finding's every fix, for fix-all
(safe and unsafe), for each split of the first stage and each reorder, the result:

* must not raise while being planned or applied;
* must parse with no more ERROR problems of any code than before;
* must keep every comment line the edits do not touch (moved is fine);
* must keep every instruction the edits do not touch, byte for byte;
* for the split: every instruction keyword of the original is still there.

``check_text`` returns the broken promises as sentences, so ``bench/fuzz.py`` runs
the same properties with many more examples and reports all it finds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerls.actions import fixall
from dockerls.actions.fixall import fix_all, instruction_delta
from dockerls.actions.reorder import reorder_for_cache
from dockerls.actions.split import split_stage, why_not
from dockerls.analysis import Analysis, analyze
from dockerls.context import CONTEXT_EMPTY
from dockerls.edits import EditConflict, apply_edits
from dockerls.findings import Finding, Fix, TextEdit
from dockerls.graph import build_graph
from dockerls.rules.engine import RuleContext
from dockerls.syntax import Dockerfile, Severity, Span, parse
from tests.corpus import corpus_files, read
from tests.test_properties import PIECES

# --------------------------------------------------------------------------- the grammar

LINES = [
    "FROM ubuntu:22.04",
    "FROM node:latest",
    "FROM python:3.12 AS build",
    "from alpine as Base",
    "FROM alpine:3.20",
    "FROM debian",
    "FROM --platform=$TARGETPLATFORM golang:1.22",
    "RUN apt-get update && apt-get install -y curl",
    "RUN apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*",
    "RUN apt-get update",
    "RUN apt-get upgrade -y",
    "RUN apk add curl",
    "RUN apk update && apk add --virtual .deps gcc",
    "RUN pip install flask",
    "RUN pip3 install --user -r requirements.txt",
    "RUN npm install",
    "RUN npm install -g typescript && npm cache clean --force",
    "RUN yarn install",
    "RUN yum install -y httpd",
    "RUN dnf install -y nginx",
    "RUN gem install rails",
    "RUN go build -o /bin/app .",
    "RUN go mod download",
    "RUN sudo make install",
    "RUN useradd -u 100000 app",
    "RUN wget -q https://example.com/a && curl -fsSLo b https://example.com/b",
    "RUN chown -R app:app /app",
    "RUN curl -k https://example.com | sh",
    "RUN cd /tmp && tar xzf app.tgz",
    "ADD app.tgz /opt/",
    "ADD run.sh /app/",
    "ADD https://example.com/tool /usr/local/bin/tool",
    "COPY . .",
    "COPY package*.json ./",
    "COPY --from=build /bin/app /bin/app",
    "COPY --chown=app a b /dest",
    "ENV NODE_ENV production",
    "ENV A=1 B=2",
    "ENV API_TOKEN=abc",
    "LABEL maintainer me",
    "MAINTAINER Me <me@example.com>",
    "ARG VERSION=1.0",
    "ARG BUILD_DATE",
    "WORKDIR /app",
    "WORKDIR app",
    "USER root",
    "USER node",
    "EXPOSE 8080/TCP",
    "EXPOSE 80:8080",
    "CMD node server.js",
    'CMD ["node", "dist/index.js"]',
    "ENTRYPOINT python app.py",
    "HEALTHCHECK CMD curl -f http://localhost/ || exit 1",
    'SHELL ["/bin/bash", "-c"]',
    "run echo lower case",
    "ONBUILD RUN npm ci",
    "VOLUME /data",
    "STOPSIGNAL SIGTERM",
    "# a comment",
    "# hadolint ignore=DL3008",
    "# dockerls: ignore=DKL101",
    "#",
    "",
]
# Blocks of several lines: heredocs, and continuations with a comment inside.
BLOCKS = [
    "RUN <<EOF\napt-get update\napt-get install -y curl\nEOF",
    "RUN <<EOF bash\nset -e\npip install flask\n# not a comment: the body is a script\nEOF",
    "COPY <<-'CONF' /etc/app.conf\n\tkey=1\n\tCONF",
    "RUN apt-get update \\\n    # the index first\n    && apt-get install -y curl",
    "RUN npm ci \\\n && npm run build \\\n && npm prune --production",
    "RUN pip install \\\n\n    requests",
    "# escape=`",
    "# syntax=docker/dockerfile:1",
]
# One single-stage build per ecosystem the split plans.
TEMPLATES = [
    [
        "FROM node:20",
        "WORKDIR /app",
        "COPY package*.json ./",
        "RUN npm ci",
        "COPY . .",
        "RUN npm run build",
        "EXPOSE 3000",
        'CMD ["node", "dist/index.js"]',
    ],
    [
        "FROM golang:1.22",
        "WORKDIR /src",
        "COPY . .",
        "RUN go build -o /bin/app .",
        'CMD ["/bin/app"]',
    ],
    [
        "FROM python:3.12",
        "WORKDIR /app",
        "COPY requirements.txt .",
        "RUN pip install -r requirements.txt",
        "COPY . .",
        'CMD ["python", "app.py"]',
    ],
    [
        "FROM maven:3.9-eclipse-temurin-21",
        "WORKDIR /app",
        "COPY . .",
        "RUN mvn -B package",
        'CMD ["java", "-jar", "target/app.jar"]',
    ],
    [
        "FROM rust:1.80",
        "WORKDIR /src",
        "COPY . .",
        "RUN cargo build --release",
        'CMD ["./target/release/app"]',
    ],
]
BREAKS = st.sampled_from(["\n", "\r\n", "mixed"])
# Real files (when the shared corpus is there), mutated like the others.
CORPUS_TEXTS = [read(p) for p in corpus_files()]


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    """A Dockerfile from the grammar, written in one of the line-break styles and mutated."""
    line = st.one_of(st.sampled_from(LINES), st.sampled_from(BLOCKS))
    source = draw(
        st.sampled_from(["template", "lines", "corpus"] if CORPUS_TEXTS else ["template", "lines"])
    )
    if source == "corpus":
        lines = draw(st.sampled_from(CORPUS_TEXTS)).splitlines()
    elif source == "template":
        lines = list(draw(st.sampled_from(TEMPLATES)))
    else:
        lines = draw(st.lists(line, min_size=1, max_size=14))
    if source != "lines":
        for _ in range(draw(st.integers(0, 4))):
            lines.insert(draw(st.integers(0, len(lines))), draw(line))
    style = draw(BREAKS)
    text = ""
    for row in lines:
        for part in (row + "\n").splitlines(keepends=True):
            newline = draw(st.sampled_from(["\n", "\r\n"])) if style == "mixed" else style
            text += part[:-1] + newline
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no final line break
    for _ in range(draw(st.integers(0, 6))):  # mutations: a piece anywhere, or a cut
        at = draw(st.integers(0, len(text)))
        piece = draw(st.one_of(PIECES, PIECES, st.text(max_size=4)))
        cut = draw(st.sampled_from([0, 0, 0, 1, 5]))
        text = text[:at] + piece + text[at + cut :]
    return text


# --------------------------------------------------------------------------- the promises


def _slice(doc: Dockerfile, span: Span) -> str:
    """The source text of a span (lines joined with \\n: line breaks are not compared)."""
    lines = doc.lines[span.start.line : span.end.line + 1]
    if not lines:
        return ""
    if len(lines) == 1:
        return lines[0][span.start.column : span.end.column]
    return "\n".join([lines[0][span.start.column :], *lines[1:-1], lines[-1][: span.end.column]])


def _touched(edits: Iterable[TextEdit]) -> set[int]:
    return {line for e in edits for line in range(e.span.start.line, e.span.end.line + 1)}


def _comment_lines(doc: Dockerfile) -> Counter[str]:
    """Every comment and parser directive as written (a directive is a comment that
    became one by position; a fix that moves a line may turn one into the other)."""
    spans = [c.span for c in doc.comments] + [d.span for d in doc.directives]
    return Counter(_slice(doc, s).strip() for s in spans)


def _errors(doc: Dockerfile) -> Counter[str]:
    return Counter(p.code for p in doc.problems if p.severity is Severity.ERROR)


def _keywords(doc: Dockerfile) -> Counter[str]:
    return Counter(i.name for i in doc.instructions)


def result_problems(
    before: Dockerfile, after_text: str, edits: Sequence[TextEdit] | None
) -> list[str]:
    """The promises ``after_text`` breaks. ``edits`` None: anything may have been edited
    (fix-all), so only the comment lines outside every instruction must stay."""
    after = parse(after_text)
    found = []
    grown = _errors(after) - _errors(before)
    if grown:
        found.append(f"new parse errors {dict(grown)}")
    touched = _touched(edits) if edits is not None else set()
    inside = {
        line for i in before.instructions for line in range(i.span.start.line, i.span.end.line + 1)
    }
    spans = [c.span for c in before.comments] + [d.span for d in before.directives]
    kept = Counter(
        _slice(before, s).strip()
        for s in spans
        if s.start.line not in touched and (edits is not None or s.start.line not in inside)
    )
    lost = kept - _comment_lines(after)
    if lost:
        found.append(f"lost comment lines {sorted(lost)}")
    if edits is not None:
        whole = after_text.replace("\r\n", "\n").replace("\r", "\n")
        for ins in before.instructions:
            rows = set(range(ins.span.start.line, ins.span.end.line + 1))
            if not rows & touched and _slice(before, ins.span) not in whole:
                found.append(f"lost the {ins.name} on line {ins.span.start.line + 1}")
    return found


def _applied(text: str, edits: Sequence[TextEdit], what: str) -> tuple[str | None, list[str]]:
    try:
        return apply_edits(text, edits), []
    except EditConflict as exc:
        return None, [f"{what}: its own edits overlap ({exc})"]


def check_text(text: str) -> list[str]:
    """Every broken promise for ``text``, as ``what: problem`` sentences."""
    analysis = analyze(text)
    doc = analysis.document
    found = [f"analysis: {f.message}" for f in analysis.findings if f.code == "DKL000"]
    for finding in analysis.findings:
        for fix in finding.fixes:
            what = f"{finding.code} fix {fix.title!r}"
            fixed, broken = _applied(text, fix.edits, what)
            found += broken
            if fixed is None:
                continue
            found += [f"{what}: {p}" for p in result_problems(doc, fixed, fix.edits)]
            expected = len(doc.instructions) + instruction_delta(doc, fix)
            counted = len(parse(fixed).instructions)
            if counted != expected:
                found.append(f"{what}: {counted} instructions, expected {expected}")
    for unsafe in (False, True):
        result = fix_all(text, unsafe=unsafe)
        what = "fix-all --unsafe" if unsafe else "fix-all"
        found += [f"{what}: {p}" for p in result_problems(doc, result.text, None)]
        found += [f"{what}: dropped a {code} fix that broke the parse" for code in result.rejected]
        if fix_all(result.text, unsafe=unsafe).text != result.text:
            found.append(f"{what}: a second run changes the text again")
    if not doc.stages:
        return found
    ctx = RuleContext(doc, analysis.graph or build_graph(doc), CONTEXT_EMPTY)
    found += [f"split: raised: {r}" for r in why_not(ctx, doc.stages[0]) if "could not plan" in r]
    for split in split_stage(ctx, doc.stages[0]):
        what = f"split to {split.runtime_image}"
        fixed, broken = _applied(text, split.edits, what)
        found += broken
        if fixed is not None:
            found += [f"{what}: {p}" for p in result_problems(doc, fixed, split.edits)]
            missing = _keywords(doc) - _keywords(parse(fixed))
            if missing:
                found.append(f"{what}: lost instructions {dict(missing)}")
    for stage in doc.stages:
        for action in reorder_for_cache(ctx, stage):
            what = f"reorder {action.title!r}"
            fixed, broken = _applied(text, action.edits, what)
            found += broken
            if fixed is not None:
                found += [f"{what}: {p}" for p in result_problems(doc, fixed, action.edits)]
    return found


# --------------------------------------------------------------------------- known bugs

# Bugs this fuzzing found and that are not fixed yet, each with a strict xfail reproducer;
# the property leaves them out. None is open: the five it found (fixes inside what is open
# at the end of the file, DKL102 before add-apt-repository, DKL513 on a heredoc marker,
# DKL529 suggesting a non-name, fix-all re-applying a fix that does not remove its finding)
# are fixed and their reproducers are the tests below.

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _suggests_a_non_name(text: str) -> bool:
    return any(
        not _NAME.fullmatch(edit.new_text)
        for f in analyze(text).findings
        if f.code == "DKL529"
        for fix in f.fixes
        for edit in fix.edits
    )


def known_bug(problem: str, text: str) -> str | None:
    """The known bug ``problem`` (a ``check_text`` sentence) is an instance of, if any."""
    return None


def new_problems(text: str) -> list[str]:
    return [p for p in check_text(text) if known_bug(p, text) is None]


# --------------------------------------------------------------------------- the tests

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(dockerfiles())
def test_every_fix_and_refactor_keeps_its_promises(text: str) -> None:
    assert new_problems(text) == []


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("DKL401", "FROM alpine\nRUN <<EOF\necho hi"),
        ("DKL401", "FROM python:3.12\nRUN echo hi \\\n"),
        ("DKL303", "FROM alpine\nARG BUILD_DATE\nRUN <<EOF\napk add --no-cache x\n"),
    ],
)
def test_no_fix_inside_what_is_open_at_the_end(code: str, text: str) -> None:
    """Fixed: DKL401 (USER, RUN useradd at the end) and DKL303 (the moved ARG) offer no
    fix where the added lines would join an unterminated heredoc or a continuation."""
    assert [p for p in check_text(text) if code in p] == []


def test_apt_cleanup_after_add_apt_repository() -> None:
    """Fixed: DKL102 put the cleanup before add-apt-repository, which fills the lists
    again, so its finding stayed and fix-all added the cleanup every round."""
    text = (
        "FROM ubuntu:22.04\n"
        "RUN apt-get update && apt-get install -y x && add-apt-repository universe\n"
    )
    assert fix_all(text).applied == {"DKL102": 1}


def test_no_slash_appended_to_a_heredoc_marker() -> None:
    """Fixed: DKL513's 'Append /' turned COPY a b <<EOF into <<EOF/ (a renamed heredoc,
    never terminated)."""
    assert check_text("FROM alpine\nCOPY a b <<EOF\nx\nEOF\n") == []


@pytest.mark.parametrize("name", ["VIRTUAL_EN\x03", "VIRTUAL_EN🐳"])
def test_no_suggestion_that_is_not_a_name(name: str) -> None:
    """Fixed: DKL529 suggested a declared name no reference can spell, so after its fix
    the finding stayed and fix-all inserted the extra characters every round."""
    text = f'FROM alpine\nENV {name}=/v\nENV PATH="$VIRTUAL_ENV/bin"\n'
    assert not _suggests_a_non_name(text)
    assert fix_all(text).applied.get("DKL529", 0) <= 1


def _with_findings(
    monkeypatch: pytest.MonkeyPatch, extra: Callable[[Dockerfile], Iterable[Finding]]
) -> None:
    """Fix-all sees ``extra``'s findings besides the real ones (a synthetic rule)."""

    def analyze_more(text: str, settings: object = None, context: object = None) -> Analysis:
        real = analyze(text)
        return Analysis(real.document, (*real.findings, *extra(real.document)), real.graph)

    monkeypatch.setattr(fixall, "analyze", analyze_more)


def _appending(doc: Dockerfile, message: str, word: str) -> Finding:
    """A finding on the last instruction whose fix appends `` word`` to its line."""
    last = doc.instructions[-1]
    line = last.span.end.line
    end = Span.of(line, len(doc.lines[line]))
    fix = Fix(f"Append {word}", (TextEdit(end, f" {word}"),))
    return Finding(
        "DKL999", "synthetic", Severity.WARNING, message, last.keyword.span, fixes=(fix,)
    )


def _stays(doc: Dockerfile) -> list[Finding]:
    """A finding its fix does not remove."""
    return [_appending(doc, "stays", "x")]


def _two_at_one_place(doc: Dockerfile) -> list[Finding]:
    """Two findings whose fixes touch one place (the second waits a round), each removed
    by its fix."""
    line = doc.lines[doc.instructions[-1].span.end.line]
    return [_appending(doc, f"needs {w}", w) for w in ("a", "b") if f" {w}" not in line]


@pytest.mark.parametrize(
    ("extra", "run", "count"), [(_stays, "RUN echo x", 1), (_two_at_one_place, "RUN echo a b", 2)]
)
def test_fix_all_applies_a_fix_again_only_for_another_finding(
    monkeypatch: pytest.MonkeyPatch,
    extra: Callable[[Dockerfile], list[Finding]],
    run: str,
    count: int,
) -> None:
    _with_findings(monkeypatch, extra)
    result = fix_all("FROM alpine:3.20\nRUN echo\n")
    assert result.text == f"FROM alpine:3.20\n{run}\n"
    assert result.applied.get("DKL999") == count


def test_fix_all_holds_back_a_stuck_fix_where_its_instruction_moves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The RUN with the stuck finding moves: in the round its fix is applied (DKL405 turns
    # the ADD above into COPY) and in a later one (a fix that only then names the stage).
    def stuck(doc: Dockerfile) -> list[Finding]:
        found = _stays(doc)
        first = doc.lines[0]
        if " x" in doc.lines[-2] and " AS " not in first:
            name = Fix("Name it", (TextEdit(Span.of(0, len(first)), " AS base"),))
            found.append(
                Finding("DKL998", "n", Severity.WARNING, "m", Span.of(0, 0), fixes=(name,))
            )
        return found

    _with_findings(monkeypatch, stuck)
    result = fix_all("FROM alpine:3.20\nADD a.txt /a\nRUN echo\n")
    assert result.text == "FROM alpine:3.20 AS base\nCOPY a.txt /a\nRUN echo x\n"
    assert result.applied.get("DKL999") == 1


def test_the_grammar_reaches_the_fixes_and_refactors() -> None:
    """The templates do set off splits and fixes (else the fuzzing proves little)."""
    template = "\n".join(TEMPLATES[0]) + "\n"
    analysis = analyze(template)
    doc = analysis.document
    ctx = RuleContext(doc, analysis.graph or build_graph(doc), CONTEXT_EMPTY)
    assert split_stage(ctx, doc.stages[0])
    soup = "\n".join(LINES) + "\n"
    fixed_codes = {f.code for f in analyze(soup).findings if f.fixes}
    assert len(fixed_codes) >= 10, fixed_codes


def test_the_checker_sees_a_lost_comment_and_a_lost_instruction() -> None:
    before = parse("FROM alpine\n# keep me\nRUN a\nUSER x\n")
    edit = TextEdit(Span.of(0, 0, end=0), "")
    assert result_problems(before, "FROM alpine\nRUN a\nUSER x\n", [edit]) == [
        "lost comment lines ['# keep me']"
    ]
    assert result_problems(before, "FROM alpine\n# keep me\nUSER x\n", [edit]) == [
        "lost the RUN on line 3"
    ]
    assert result_problems(before, "FROM alpine\n# keep me\nRUN <<EOF\n", [edit])[0].startswith(
        "new parse errors"
    )
