"""The parser agrees with BuildKit's own parser on every real Dockerfile.

The oracle is the ``dockerfile`` package (BuildKit's Go parser in a wheel), a
test-only dependency. Compared per instruction: keyword, first and last line,
flags as the builder reads them, and heredoc names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerls.analysis import analyze
from dockerls.syntax import Dockerfile, parse
from tests.corpus import corpus_params, read

dockerfile = pytest.importorskip("dockerfile", reason="the BuildKit parser wheel is a dev extra")

Row = tuple[str, int, int, tuple[str, ...], tuple[str, ...]]


def ours(doc: Dockerfile) -> list[Row]:
    rows: list[Row] = []
    for ins in doc.instructions:
        flags = tuple(
            f"--{f.name.text}" + (f"={f.value.text}" if f.value is not None else "")
            for f in ins.flags
        )
        rows.append(
            (
                ins.keyword.text.upper(),
                ins.span.start.line + 1,
                ins.span.end.line + 1,
                flags,
                tuple(h.name for h in ins.heredocs),
            )
        )
    return rows


def buildkit(text: str) -> list[Row]:
    return [
        (
            (c.cmd or "").upper(),
            c.start_line,
            c.end_line,
            tuple(c.flags),
            tuple(h.name for h in c.heredocs),
        )
        for c in dockerfile.parse_string(text)
    ]


@pytest.mark.parametrize("path", corpus_params())
def test_instruction_sequence_matches_buildkit(path: Path) -> None:
    text = read(path)
    assert ours(parse(text)) == buildkit(text)


@pytest.mark.parametrize("path", corpus_params())
def test_analysis_never_crashes_on_real_files(path: Path) -> None:
    analysis = analyze(read(path))
    assert analysis.document.instructions


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nRUN a \\\n  # c\n\n  b \\  \n  c\n",
        "# escape=`\nFROM a\nRUN a `\n b\n",
        "FROM a\nRUN 2<<-'E' cat <<X\n\thi\n\tE\nyo\nX\nCMD x\n",
        "FROM a\nONBUILD RUN --mount=type=cache,target=/x npm i\n",
        '\ufeffFROM a\r\nCOPY --from="x y" --chmod=755 a b\r\nCMD ["a"] trailing',
        "FROM a\nRUN cat <<EOF \\\n && echo\nhi\nEOF\n",
        "\\\nFROM a\n",
        "FROM a\nfoo bar\n",
    ],
)
def test_edge_cases_match_buildkit(text: str) -> None:
    assert ours(parse(text)) == buildkit(text)


def test_known_difference_lone_escape_line() -> None:
    """BuildKit turns a file holding only an escape character into one empty node.

    An editor has nothing to show for it, so the model has no instruction.
    """
    assert [r[0] for r in buildkit("\\\n")] == [""]
    assert ours(parse("\\\n")) == []


def test_known_difference_unterminated_heredoc() -> None:
    """BuildKit refuses the whole file; the model keeps it and reports a problem."""
    text = "FROM a\nRUN <<EOF\necho\n"
    with pytest.raises(dockerfile.GoParseError):
        buildkit(text)
    doc = parse(text)
    assert [p.code for p in doc.problems] == ["DKL003"]
    assert [i.name for i in doc.instructions] == ["FROM", "RUN"]


def test_known_difference_lone_carriage_return() -> None:
    """LSP counts a lone CR as a line break; BuildKit does not. Positions follow the editor."""
    text = "FROM a\rRUN x\n"
    assert len(buildkit(text)) == 1
    assert [i.name for i in parse(text).instructions] == ["FROM", "RUN"]
