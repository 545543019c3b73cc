"""The syntax model: exact spans for every part of every instruction."""

from __future__ import annotations

import pytest

from dockerls.syntax import Dockerfile, Instruction, VariableModifier, parse
from dockerls.syntax.variables import expand, references
from tests.markers import extract


def parsed(marked: str) -> tuple[Dockerfile, list]:  # type: ignore[type-arg]
    text, spans = extract(marked)
    return parse(text), spans


def only(doc: Dockerfile, name: str) -> Instruction:
    found = [i for i in doc.instructions if i.name == name]
    assert len(found) == 1, found
    return found[0]


# -- keywords, flags, arguments ----------------------------------------------


def test_keyword_flags_and_arguments_have_exact_spans() -> None:
    doc, s = parsed(
        "FROM node:20 AS build\n⟨RUN⟩ ⟨--⟨mount⟩=⟨type=cache,target=/root/.npm⟩⟩ ⟨npm⟩ ⟨ci⟩\n"
    )
    run = only(doc, "RUN")
    assert run.keyword.span == s[0]
    (flag,) = run.flags
    assert flag.span == s[1] and flag.name.span == s[2] and flag.value is not None
    assert flag.name.text == "mount" and flag.value.span == s[3]
    assert flag.options() == {"type": "cache", "target": "/root/.npm"}
    assert [a.text for a in run.args] == ["npm", "ci"]
    assert [a.span for a in run.args] == [s[4], s[5]]


def test_bare_flag_and_double_dash_end_of_flags() -> None:
    doc = parse("FROM a\nCOPY --link -- --weird dest\n")
    copy = only(doc, "COPY")
    assert [(f.name.text, f.value) for f in copy.flags] == [("link", None)]
    assert [a.text for a in copy.args] == ["--weird", "dest"]


def test_quoted_flag_value_is_unquoted_but_spans_the_quotes() -> None:
    doc, s = parsed('FROM a\nCOPY --from=⟨"x y"⟩ a b\n')
    flag = only(doc, "COPY").flags[0]
    assert flag.value is not None and flag.value.text == "x y" and flag.value.span == s[0]


@pytest.mark.parametrize("keyword", ["run", "Run", "rUN"])
def test_keywords_are_case_insensitive(keyword: str) -> None:
    doc = parse(f"FROM a\n{keyword} echo hi\n")
    run = doc.instructions[1]
    assert run.name == "RUN" and run.keyword.text == keyword
    assert not doc.problems


def test_leading_indentation_and_tabs() -> None:
    doc, s = parsed("FROM a\n  \t⟨RUN⟩\techo\t⟨hi⟩\n")
    run = only(doc, "RUN")
    assert run.keyword.span == s[0] and run.args[-1].span == s[1]


def test_crlf_bom_and_no_final_newline() -> None:
    text = "\ufeffFROM a\r\nRUN echo hi\r\nCMD x"
    doc = parse(text)
    assert doc.bom
    assert [i.name for i in doc.instructions] == ["FROM", "RUN", "CMD"]
    assert doc.instructions[0].keyword.span.start.column == 1  # after the BOM code point
    assert doc.instructions[1].args[1].text == "hi"
    assert doc.instructions[1].span.end.column == len("RUN echo hi")
    assert doc.instructions[2].args[0].span.start.line == 2


# -- continuations -----------------------------------------------------------


def test_continuation_joins_lines_and_tokens_keep_source_spans() -> None:
    doc, s = parsed("FROM a\nRUN apt-get update \\\n    && ⟨apt-get⟩ install -y ⟨curl⟩\n")
    run = only(doc, "RUN")
    assert run.rest is not None
    assert run.rest.text == "apt-get update     && apt-get install -y curl"
    assert run.span.start.line == 1 and run.span.end.line == 2
    assert run.args[0].span.start.line == 1  # the first apt-get
    assert run.args[3].span == s[0] and run.args[-1].span == s[1]
    offset = run.rest.text.index("curl")
    assert run.locate(offset) == s[1].start


def test_backslash_followed_by_trailing_whitespace_still_continues() -> None:
    doc = parse("FROM a\nRUN echo a \\   \n  b\n")
    run = only(doc, "RUN")
    assert run.rest is not None and run.rest.text == "echo a   b"


def test_comments_and_empty_lines_inside_continuations_are_skipped() -> None:
    doc, s = parsed("FROM a\nRUN echo a \\\n⟨# note⟩\n\n    && echo ⟨b⟩\nCMD x\n")
    run = only(doc, "RUN")
    assert run.rest is not None and run.rest.text == "echo a     && echo b"
    assert [c.text for c in run.comments] == ["note"] and run.comments[0].span == s[0]
    assert run.args[-1].span == s[1]
    assert run.span.end.line == 4
    assert [i.name for i in doc.instructions] == ["FROM", "RUN", "CMD"]


def test_backtick_escape_directive() -> None:
    doc, s = parsed("# escape=`\nFROM a\nRUN dir c:\\ `\n  && ⟨echo⟩ x\n")
    assert doc.escape == "`"
    run = only(doc, "RUN")
    assert run.rest is not None and run.rest.text == "dir c:\\   && echo x"
    assert run.args[3].span == s[0]


def test_escape_directive_is_ignored_after_a_comment() -> None:
    doc = parse("# hello\n# escape=`\nFROM a\nRUN a `\n b\n")
    assert doc.escape == "\\" and not doc.directives
    assert [i.keyword.text for i in doc.instructions] == ["FROM", "RUN", "b"]


def test_directives_stop_at_a_blank_line_and_are_case_insensitive() -> None:
    doc = parse("# Syntax = docker/dockerfile:1\n#check=skip=all\n\n# escape=`\nFROM a\n")
    assert [(d.name.text, d.value.text) for d in doc.directives] == [
        ("syntax", "docker/dockerfile:1"),
        ("check", "skip=all"),
    ]
    assert doc.escape == "\\"


def test_invalid_and_duplicate_directives_are_problems() -> None:
    doc = parse("# escape=x\n# escape=`\nFROM a\n")
    assert [p.code for p in doc.problems] == ["DKL005", "DKL005"]


# -- heredocs ----------------------------------------------------------------


def test_heredoc_body_and_terminator() -> None:
    doc, s = parsed("FROM a\nRUN ⟨<<EOF⟩\n⟨apt-get update\necho ok\n⟩EOF\nCMD x\n")
    run = only(doc, "RUN")
    (h,) = run.heredocs
    assert h.name == "EOF" and h.marker.span == s[0] and not h.quoted and not h.strip_tabs
    assert h.body.text == "apt-get update\necho ok\n"
    assert h.body.span == s[1]
    assert h.terminator is not None and h.terminator.start.line == 4
    assert run.span.end.line == 4
    assert h.locate(h.body.text.index("echo")) == s[1].start.__class__(3, 0)


def test_heredoc_strip_tabs_quoted_delimiter_and_command_after_marker() -> None:
    doc = parse('FROM a\nRUN <<-"END" bash\n\techo $HOME\n\tEND\nCOPY <<EOF /etc/x\nhi\nEOF\n')
    run = only(doc, "RUN")
    (h,) = run.heredocs
    assert h.strip_tabs and h.quoted and h.name == "END"
    assert [a.text for a in run.args] == ['<<-"END"', "bash"]
    copy = only(doc, "COPY")
    assert [x.name for x in copy.heredocs] == ["EOF"] and copy.heredocs[0].body.text == "hi\n"


def test_several_heredocs_on_one_instruction() -> None:
    doc = parse("FROM a\nRUN <<A cat - <<B\none\nA\ntwo\nB\nCMD x\n")
    run = only(doc, "RUN")
    assert [(h.name, h.body.text) for h in run.heredocs] == [("A", "one\n"), ("B", "two\n")]
    assert doc.instructions[-1].name == "CMD"


def test_heredoc_marker_glued_to_a_word_is_not_a_heredoc() -> None:
    doc = parse("FROM a\nRUN cat<<EOF\n")
    assert not only(doc, "RUN").heredocs


def test_unterminated_heredoc_while_typing_is_a_problem_not_an_exception() -> None:
    doc, s = parsed("FROM a\nRUN ⟨<<EOF⟩\necho 🐳\n")
    (problem,) = doc.problems
    assert problem.code == "DKL003" and problem.name == "unterminated-heredoc"
    assert problem.span == s[0]
    assert only(doc, "RUN").heredocs[0].body.text == "echo 🐳\n\n"


def test_heredoc_in_exec_form_is_not_read() -> None:
    doc = parse('FROM a\nRUN ["<<EOF"]\nCMD x\n')
    assert not only(doc, "RUN").heredocs and len(doc.instructions) == 3


# -- exec form ---------------------------------------------------------------


def test_exec_form_elements_have_spans_including_quotes() -> None:
    doc, s = parsed('FROM a\nCMD ⟨[⟨"node"⟩, ⟨"server.js"⟩]⟩\n')
    cmd = only(doc, "CMD")
    assert cmd.exec_form is not None
    assert [e.text for e in cmd.exec_form.elements] == ["node", "server.js"]
    assert cmd.exec_form.span == s[0]
    assert [e.span for e in cmd.exec_form.elements] == [s[1], s[2]]
    assert not cmd.is_shell_form


def test_exec_form_decodes_json_escapes() -> None:
    doc = parse('FROM a\nCMD ["a\\u00e9", "b\\"c"]\n')
    cmd = only(doc, "CMD")
    assert cmd.exec_form is not None
    assert [e.text for e in cmd.exec_form.elements] == ["aé", 'b"c']


@pytest.mark.parametrize("args", ["['node', 'x']", '["node"', '["a", ]', '["a" "b"]', "[1, 2]"])
def test_broken_json_form_runs_as_shell_and_is_reported(args: str) -> None:
    doc = parse(f"FROM a\nCMD {args}\n")
    cmd = only(doc, "CMD")
    assert cmd.exec_form is None and cmd.is_shell_form
    assert [p.code for p in doc.problems] == ["DKL004"]


def test_healthcheck_exec_form_after_cmd() -> None:
    doc = parse('FROM a\nHEALTHCHECK --interval=5s CMD ["curl", "-f", "localhost"]\n')
    hc = only(doc, "HEALTHCHECK")
    assert hc.flag("interval") is not None
    assert hc.exec_form is not None and hc.exec_form.elements[0].text == "curl"


# -- stages, FROM, ONBUILD -----------------------------------------------------


def test_stages_names_indices_and_platform() -> None:
    doc, s = parsed(
        "ARG V=20\nFROM --platform=$BUILDPLATFORM ⟨⟨node⟩:⟨20⟩⟩ AS ⟨Build⟩\nRUN x\n"
        "FROM ⟨gcr.io⟩/distroless/nodejs20\nCOPY --from=build /a /b\n"
    )
    assert [a.name for a in doc.global_args] == ["ARG"]
    first, second = doc.stages
    assert first.index == 0 and first.name is not None and first.name.span == s[3]
    assert first.name_lower == "build"
    assert first.from_.flag("platform") is not None
    assert first.image is not None and first.image.span == s[0]
    assert first.image.repository.span == s[1] and first.image.tag is not None
    assert first.image.tag.span == s[2]
    assert [i.name for i in first.instructions] == ["RUN"]
    assert second.name is None and second.image is not None
    assert second.image.registry is not None and second.image.registry.span == s[4]
    assert doc.stage_named("BUILD") is first and doc.stage_named("1") is second
    assert doc.stage_of(doc.instructions[-1]) is second


@pytest.mark.parametrize(
    ("ref", "registry", "repository", "tag", "digest"),
    [
        ("node:20-alpine", None, "node", "20-alpine", None),
        ("ghcr.io/org/app@sha256:abc", "ghcr.io", "org/app", None, "sha256:abc"),
        ("localhost:5000/x", "localhost:5000", "x", None, None),
        ("localhost:5000/x:1@sha256:d", "localhost:5000", "x", "1", "sha256:d"),
        ("scratch", None, "scratch", None, None),
        ("library/python:3.12", None, "library/python", "3.12", None),
    ],
)
def test_image_reference_parts(
    ref: str, registry: str | None, repository: str, tag: str | None, digest: str | None
) -> None:
    image = parse(f"FROM {ref}\n").stages[0].image
    assert image is not None
    assert (image.registry and image.registry.text) == registry
    assert image.repository.text == repository
    assert (image.tag and image.tag.text) == tag
    assert (image.digest and image.digest.text) == digest
    for part in (image.registry, image.repository, image.tag, image.digest):
        if part is not None:
            line = parse(f"FROM {ref}\n").lines[0]
            assert line[part.span.start.column : part.span.end.column] == part.text


def test_global_arg_defaults_resolve_in_from() -> None:
    doc = parse(
        "ARG NODE_VERSION=20\nARG VARIANT\n"
        "FROM node:${NODE_VERSION}-slim\nFROM node:$VARIANT\nFROM node:${VARIANT:-22}\n"
    )
    assert [s.resolved_image for s in doc.stages] == ["node:20-slim", None, "node:22"]


def test_global_arg_defaults_may_use_earlier_args() -> None:
    doc = parse(
        "ARG MAJOR=20\nARG IMAGE=node:${MAJOR}\nARG FLAVOR=${TARGETARCH}\n"
        "FROM $IMAGE\nFROM ${FLAVOR}\n"
    )
    assert [s.resolved_image for s in doc.stages] == ["node:20", None]


def test_onbuild_wraps_an_instruction_with_its_own_spans() -> None:
    doc, s = parsed("FROM a\nONBUILD ⟨RUN⟩ --mount=type=cache,target=/x ⟨npm⟩ install\n")
    onbuild = only(doc, "ONBUILD")
    trigger = onbuild.trigger
    assert trigger is not None and trigger.name == "RUN" and trigger.keyword.span == s[0]
    assert trigger.flag("mount") is not None
    assert trigger.args[0].span == s[1]
    assert trigger.rest is not None and trigger.locate(0) == s[1].start


# -- ENV, LABEL, ARG -----------------------------------------------------------


def test_key_value_pairs_and_legacy_form() -> None:
    doc, s = parsed(
        'FROM a\nENV ⟨A⟩=⟨1⟩ B="two words"\nENV ⟨LEGACY⟩ some value\nARG X Y=2\n'
        "LABEL org.opencontainers.image.title=app\n"
    )
    env1, env2 = (i for i in doc.instructions if i.name == "ENV")
    a, b = env1.pairs
    assert a.key.span == s[0] and a.value is not None and a.value.span == s[1]
    assert b.value is not None and b.value.text == "two words"
    assert b.raw_value is not None and b.raw_value.text == '"two words"'
    (legacy,) = env2.pairs
    assert legacy.legacy and legacy.key.span == s[2]
    assert legacy.value is not None and legacy.value.text == "some value"
    arg = only(doc, "ARG")
    assert [(p.key.text, p.value and p.value.text) for p in arg.pairs] == [("X", None), ("Y", "2")]
    assert only(doc, "LABEL").pairs[0].key.text == "org.opencontainers.image.title"
    assert not doc.problems


def test_env_mixing_forms_is_a_problem() -> None:
    doc = parse("FROM a\nENV a=1 b\nENV lonely\n")
    assert [p.code for p in doc.problems] == ["DKL007", "DKL007"]


# -- variables ----------------------------------------------------------------


def test_variable_references_with_spans_and_modifiers() -> None:
    doc, s = parsed("FROM a\nRUN echo ⟨$⟨HOME⟩⟩ ⟨${⟨V⟩:-x}⟩ \\$NOT ${W:+y} $1\n")
    refs = references(only(doc, "RUN"))
    assert [r.name for r in refs] == ["HOME", "V", "W"]
    assert refs[0].span == s[0] and refs[0].name_span == s[1] and not refs[0].braced
    assert refs[1].span == s[2] and refs[1].name_span == s[3]
    assert refs[1].modifier is VariableModifier.DEFAULT and refs[1].word == "x"
    assert refs[2].modifier is VariableModifier.ALTERNATE


def test_expand() -> None:
    values = {"A": "1", "E": ""}
    assert expand("x${A}y$A", values) == "x1y1"
    assert expand("${E:-d} ${E-d} ${U:-d}", values) == "d  d"
    assert expand("${A:+alt}${E:+alt}${E+set}", values) == "altset"
    assert expand("$UNKNOWN", values) is None


# -- what a user has half-typed ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("FROM\n", ["DKL002"]),
        ("FROM a\nRUN\n", ["DKL008"]),
        ("FROM a\nCMD\n", ["DKL008"]),
        ("FROM a\nCOPY\n", ["DKL002"]),
        ("FROM a\nRUNN echo\n", ["DKL001"]),
        ("FROM a\nONBUILD\n", ["DKL002"]),
        ("RUN echo\nFROM a\n", ["DKL006"]),
        ('FROM a\nCMD ["x",\n', ["DKL004"]),
        ("FROM a\nRUN <<EOF\n", ["DKL003"]),
        ("FROM a\nRUN a \\\n", []),
        ("\\\n", []),
        ("", []),
    ],
)
def test_half_typed_input_becomes_problems(text: str, codes: list[str]) -> None:
    assert [p.code for p in parse(text).problems] == codes


def test_instruction_at_and_span_contains() -> None:
    doc = parse("FROM a\nRUN a \\\n  b\n")
    from dockerls.syntax import Position

    run = doc.instruction_at(Position(2, 1))
    assert run is not None and run.name == "RUN"
    assert run.span.contains(Position(2, 3)) and not run.span.contains(Position(0, 0))


def test_unterminated_heredoc_on_the_last_line_has_an_empty_body_at_the_end() -> None:
    doc = parse("COPY <<EOF")
    (h,) = doc.instructions[0].heredocs
    assert h.body.text == "" and h.body.span.start == h.body.span.end
    assert h.body.span.start <= h.body.span.end


def test_malformed_json_in_shell_is_an_error_not_a_warning() -> None:
    from dockerls.syntax import Severity

    doc = parse("FROM a\nSHELL ['/bin/bash', '-c']\nCMD ['x']\n")
    assert [(p.code, p.severity) for p in doc.problems] == [
        ("DKL004", Severity.ERROR),
        ("DKL004", Severity.WARNING),
    ]
