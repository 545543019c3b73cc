"""Completion: one test per context, the cursor written as ``⟨typed⟩``.

The marked span is the word typed so far (the items' text edit); the cursor is at its end.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerls.features.completion import CompletionItem, complete
from dockerls.features.signature import signature_help, signatures
from dockerls.syntax import Position, parse
from dockerls.syntax.parser import INSTRUCTIONS
from tests.markers import extract


def items(marked: str, snippets: bool = False) -> tuple[list[CompletionItem], list[str]]:
    text, spans = extract(marked)
    (span,) = spans
    found = complete(parse(text), span.end, snippets)
    for item in found:
        assert item.text_edit == span, item
    return found, [i.label for i in found]


def test_keywords_at_line_start() -> None:
    found, labels = items("FROM a\n⟨ru⟩")
    assert "RUN" in labels and "COPY" in labels and len(labels) == 18
    run = next(i for i in found if i.label == "RUN")
    assert run.insert_text == "RUN " and not run.is_snippet
    assert "Dockerfile reference" in run.documentation


def test_keyword_snippets() -> None:
    found, _ = items("⟨⟩", snippets=True)
    frm = next(i for i in found if i.label == "FROM")
    assert frm.is_snippet and frm.insert_text == "FROM ${1:image}"


def test_keywords_after_onbuild() -> None:
    _, labels = items("FROM a\nONBUILD ⟨R⟩")
    assert "RUN" in labels and "ONBUILD" not in labels and "FROM" not in labels


def test_nothing_in_continuation_or_heredoc_or_comment() -> None:
    assert items("FROM a\nRUN a \\\n  ⟨b⟩")[1] == []
    assert items("FROM a\nRUN <<EOF\n⟨ec⟩\nEOF\n")[1] == []
    assert items("FROM a\n# co⟨mm⟩")[1] == []


def test_run_flags() -> None:
    found, labels = items("FROM a\nRUN ⟨--⟩ make")
    assert set(labels) == {"--mount", "--network", "--security", "--device"}
    assert next(i for i in found if i.label == "--mount").insert_text == "--mount="


def test_copy_and_add_flags() -> None:
    _, copy = items("FROM a\nCOPY --link ⟨--c⟩")
    assert {"--from", "--chown", "--chmod", "--parents", "--exclude"} <= set(copy)
    assert "--link" not in copy  # already there
    found, add = items("FROM a\nADD ⟨--⟩")
    assert {"--checksum", "--keep-git-dir", "--link", "--chmod", "--unpack"} <= set(add)
    assert next(i for i in found if i.label == "--link").insert_text == "--link"


def test_no_flags_after_arguments() -> None:
    assert items("FROM a\nRUN make ⟨--⟩")[1] == []


def test_flag_values() -> None:
    assert items("FROM a\nRUN --network=⟨n⟩")[1] == ["default", "none", "host"]
    assert "$BUILDPLATFORM" in items("FROM --platform=⟨⟩")[1]


def test_mount_types_and_keys() -> None:
    _, types = items("FROM a\nRUN --mount=type=⟨ca⟩")
    assert types == ["bind", "cache", "tmpfs", "secret", "ssh"]
    found, keys = items("FROM a\nRUN --mount=type=cache,⟨ta⟩")
    assert {"target", "id", "sharing", "uid"} <= set(keys) and "type" not in keys
    assert "env" not in keys  # a secret key
    assert next(i for i in found if i.label == "target").insert_text == "target="
    _, secret = items("FROM a\nRUN --mount=type=secret,⟨⟩")
    assert "env" in secret and "required" in secret
    assert items("FROM a\nRUN --mount=type=cache,sharing=⟨⟩")[1] == ["shared", "private", "locked"]


def test_stage_names_after_from_flags() -> None:
    text = "FROM a AS build\nFROM b AS test\nFROM c\nCOPY --from=⟨b⟩"
    assert items(text)[1] == ["build", "test", "0", "1"]  # COPY --from takes an index too
    assert items("FROM a AS deps\nFROM b\nRUN --mount=type=bind,from=⟨⟩")[1] == ["deps"]


def test_stage_names_in_from() -> None:
    assert items("FROM node:20 AS build\nFROM ⟨b⟩")[1] == ["build"]
    assert items("FROM a AS x\nFROM --platform=$BUILDPLATFORM ⟨⟩")[1] == ["x"]


def test_as_after_from_image() -> None:
    _, labels = items("FROM node:20 ⟨a⟩")
    assert labels == ["AS"]


def test_image_variants() -> None:
    found, labels = items("FROM node:⟨2⟩")
    assert any("alpine" in tag for tag in labels)
    assert any("slim" in tag for tag in labels)
    assert all(i.detail.startswith("Node.js: ") for i in found)
    assert items("FROM no-such-image-family:⟨⟩")[1] == []


def test_image_variants_keep_the_typed_version() -> None:
    found, labels = items("FROM node:⟨20⟩")
    assert labels[:2] == ["20-slim", "20-alpine"]  # then the variants of any version
    assert found[0].detail.startswith("Node.js: slim") and found[0].documentation
    assert items("FROM python:⟨3.12-⟩")[1][:2] == ["3.12-slim", "3.12-alpine"]


def test_variables_in_scope() -> None:
    text = "ARG BASE=alpine\nFROM $BASE\nARG VERSION=1\nENV HOME_DIR=/app\nRUN echo ${⟨V⟩"
    found, labels = items(text)
    assert "VERSION" in labels and "HOME_DIR" in labels
    assert "BASE" not in labels  # a global ARG not redeclared in the stage
    assert "TARGETARCH" in labels  # BuildKit's automatic platform ARGs
    version = next(i for i in found if i.label == "VERSION")
    assert version.insert_text == "VERSION}" and version.detail == "ARG = 1"


def test_variables_in_from_are_global() -> None:
    _, labels = items("ARG BASE=alpine\nFROM $⟨B⟩")
    assert "BASE" in labels and "BUILDPLATFORM" in labels
    assert "HTTP_PROXY" not in labels


def test_proxy_arguments_only_in_run() -> None:
    found, labels = items("FROM a\nRUN curl --proxy $⟨H⟩")
    assert {"HTTP_PROXY", "https_proxy", "NO_PROXY"} <= set(labels)
    proxy = next(i for i in found if i.label == "HTTP_PROXY")
    assert proxy.detail == "predefined proxy ARG" and "--build-arg" in proxy.documentation
    assert "HTTP_PROXY" not in items("FROM a\nENV P=$⟨H⟩")[1]
    # A declared proxy ARG is offered once, as the declared variable.
    declared = items("FROM a\nARG HTTP_PROXY=http://p\nRUN echo $⟨H⟩")[0]
    assert [i.detail for i in declared if i.label == "HTTP_PROXY"] == ["ARG = http://p"]


def test_escaped_dollar_is_no_variable() -> None:
    assert items("FROM a\nRUN echo \\$⟨⟩")[1] == []


def test_directives_in_header() -> None:
    found, labels = items("# ⟨sy⟩")
    assert labels == ["syntax", "escape", "check"]
    assert found[0].insert_text == "syntax="
    assert items("# syntax=docker/dockerfile:1\n# ⟨⟩")[1] == ["escape", "check"]
    assert items("# escape=⟨⟩")[1] == ["\\", "`"]
    assert items("FROM a\n# ⟨sy⟩")[1] == []


def test_healthcheck_words() -> None:
    assert items("FROM a\nHEALTHCHECK --interval=5s ⟨C⟩")[1] == ["CMD", "NONE"]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "FROM",
                "run",
                " ",
                "\n",
                "\\",
                "--",
                "mount=",
                "type=",
                ",",
                "$",
                "${",
                ":",
                "<<EOF",
                "EOF",
                "#",
                "a",
                "AS",
                "onbuild",
                "# escape=`\n",
                "copy",
                "--from=",
            ]
        ),
        max_size=30,
    ).map("".join),
    st.integers(0, 40),
    st.integers(0, 60),
)
def test_never_raises(text: str, line: int, column: int) -> None:
    complete(parse(text), Position(line, column), snippets=True)


# --------------------------------------------------------------------------- signature help
# (dockerls.features.signature: its tests live here, beside completion's)


def active(marked: str) -> tuple[str, str | None] | None:
    text, (span,) = extract(marked)
    help_ = signature_help(parse(text), span.end)
    if help_ is None:
        return None
    sig = help_.signatures[help_.active_signature]
    param = help_.active_parameter
    for p in sig.parameters:
        assert sig.label[p.offsets[0] : p.offsets[1]] == p.label
    return sig.label, None if param is None else sig.parameters[param].label


FROM_SIG = "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]"
COPY_SIG = (
    "COPY [--from=…] [--chown=…] [--chmod=…] [--link] [--parents] [--exclude=…] <src>… <dest>"
)


def test_signature_parameters() -> None:
    assert active("FROM --platf⟨⟩orm=x node AS b") == (FROM_SIG, "[--platform=<platform>]")
    assert active("FROM node⟨⟩ AS b") == (FROM_SIG, "<image>[:<tag>|@<digest>]")
    assert active("FROM node A⟨⟩S b") == (FROM_SIG, "[AS <name>]")
    assert active("COPY --from=x⟨⟩ a b") == (COPY_SIG, "[--from=…]")
    assert active("COPY a⟨⟩ b c") == (COPY_SIG, "<src>…")
    assert active("COPY a b⟨⟩ c") == (COPY_SIG, "<src>…")
    assert active("COPY a b c⟨⟩") == (COPY_SIG, "<dest>")
    assert active("COPY ⟨⟩") == (COPY_SIG, "<src>…")
    assert active("COPY a ⟨⟩") == (COPY_SIG, "<dest>")
    assert active("LABEL a=b ⟨⟩") == ('LABEL <key>="<value>" …', '<key>="<value>" …')


def test_signature_forms() -> None:
    assert active('CMD ["a", ⟨⟩]') == ('CMD ["executable", "arg"]', '["executable", "arg"]')
    assert active("CMD echo ⟨⟩") == ("CMD command arg", "arg")
    assert active("USER 1000⟨⟩") == ("USER <uid>[:<gid>]", "<uid>[:<gid>]")
    assert active("HEALTHCHECK NONE⟨⟩") == ("HEALTHCHECK NONE", "NONE")
    text, _ = extract("CMD ⟨⟩")
    help_ = signature_help(parse(text), Position(0, 4))
    assert help_ is not None and len(help_.signatures) == 2


def test_signature_onbuild_and_nowhere() -> None:
    assert active("ONBUILD RUN ⟨⟩") == (
        "RUN [--mount=…] [--network=…] [--security=…] <command>",
        "<command>",
    )
    assert active("FROM a\nRUN <<EOF\n⟨⟩\nEOF") is None
    assert active("FR⟨⟩OM a") is None
    assert active("FROM a\n\n⟨⟩") is None
    assert active("BOGUS ⟨⟩") is None


def test_every_instruction_has_signatures() -> None:
    for name in INSTRUCTIONS:
        sigs = signatures(name)
        assert sigs and all(s.label.startswith(name) for s in sigs), name


def test_flags_on_a_continuation_line() -> None:
    text = "FROM a\nRUN --mount=type=cache,target=/root/.cache \\\n    ⟨--n⟩"
    assert "--network" in items(text)[1]
    assert "--mount" in items(text)[1]  # --mount may be repeated
    assert items("FROM a\nRUN --network=host \\\n  --mount=type=⟨⟩")[1][0] == "bind"
