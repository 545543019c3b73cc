"""Where size estimates are shown: inlay hints, hover, ``dockerls size`` and the context
files read at the edge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockerls.analysis import analyze
from dockerls.cli import main
from dockerls.context_io import read_build_context, read_context_files
from dockerls.features.inlay import inlay_hints
from dockerls.hover import hover
from dockerls.syntax import Position, Span

EVERYWHERE = Span.of(0, 0, 10_000, 0)
APT = (
    "FROM debian:bookworm-slim\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends gcc \\\n"
    "    && rm -rf /var/lib/apt/lists/*\n"
    "ENV A=1\n"
)


def test_inlay_marks_costly_instructions_and_the_stage_total() -> None:
    hints = inlay_hints(analyze(APT), EVERYWHERE, sizes=True)
    by_line = {pos.line: (pos, label, tip) for pos, label, tip in hints if "≈" in label}
    pos, label, tip = by_line[2]  # the RUN's last line, at its end
    assert pos == Position(2, len("    && rm -rf /var/lib/apt/lists/*"))
    assert label.startswith("≈ +") and label.endswith(" MB")
    assert "gcc-12" in tip and "bookworm index" in tip
    _, total, _ = by_line[0]
    assert total.endswith(" MB stage")
    assert 3 not in by_line  # ENV adds nothing


def test_inlay_without_sizes_is_unchanged() -> None:
    plain = inlay_hints(analyze(APT), EVERYWHERE)
    assert [label for _, label, _ in plain] == ["~74.8 MB"] or all("≈" not in h[1] for h in plain)


def test_inlay_skips_cheap_instructions_and_marks_unknown() -> None:
    text = "FROM debian:bookworm-slim\nRUN echo hi\nRUN make all\n"
    hints = inlay_hints(analyze(text), EVERYWHERE, sizes=True)
    assert not [h for h in hints if h[0].line in (1, 2)]
    stage = [h for h in hints if h[1].endswith("stage + ?")]
    assert len(stage) == 1 and "`make all`" in stage[0][2]


def test_hover_on_the_keyword_gives_the_breakdown() -> None:
    found = hover(analyze(APT), Position(1, 1), sizes=True)
    assert found is not None
    assert "**Size:** ≈ +" in found.text and "gcc-12" in found.text
    on_from = hover(analyze(APT), Position(0, 1), sizes=True)
    assert on_from is not None and "**Stage size:**" in on_from.text
    assert "line 2 `RUN`" in on_from.text


def test_hover_without_sizes_or_off_the_keyword_has_none() -> None:
    plain = hover(analyze(APT), Position(1, 1))
    assert plain is not None and "**Size:**" not in plain.text
    argument = hover(analyze(APT), Position(1, 30), sizes=True)
    assert argument is None or "**Size:**" not in argument.text


def _project(tmp_path: Path) -> Path:
    (tmp_path / "Dockerfile").write_text(
        "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\n"
    )
    (tmp_path / "package.json").write_text('{"name": "x"}')
    lock = {"packages": {"": {}, "node_modules/express": {"version": "5"}}}
    (tmp_path / "package-lock.json").write_text(json.dumps(lock))
    (tmp_path / "big.bin").write_bytes(b"\0" * 3_000_000)
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "junk.js").write_bytes(b"\0" * 9_000_000)
    (tmp_path / ".dockerignore").write_text("node_modules\n")
    return tmp_path / "Dockerfile"


def test_context_files_leave_ignored_paths_out(tmp_path: Path) -> None:
    dockerfile = _project(tmp_path)
    files = read_context_files(read_build_context(dockerfile), tmp_path)
    assert files is not None and files.complete
    names = {name for name, _ in files.files}
    assert "big.bin" in names and "node_modules/junk.js" not in names
    assert files.locked("package-lock.json") is not None
    assert files.size_of(".") == sum(size for _, size in files.files)


def test_cli_size_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dockerfile = _project(tmp_path)
    assert main(["size", str(dockerfile)]) == 0
    out = capsys.readouterr().out
    assert "stage 0 (final)" in out and "line 3" in out and "express (npm)" in out
    assert "Uncompressed MB" in out
    assert main(["size", "--format", "json", str(dockerfile)]) == 0
    data = json.loads(capsys.readouterr().out)
    (stage,) = data["files"][0]["stages"]
    assert stage["final"] is True
    copy = next(i for i in stage["instructions"] if i["instruction"] == "COPY")
    assert 3.0 <= copy["mb"] < 4.0  # big.bin, not the ignored node_modules
    assert stage["total"]["bytes"] > stage["base"]["bytes"]


def test_cli_size_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["size", str(tmp_path / "missing" / "Dockerfile")]) == 2
    assert "missing" in capsys.readouterr().err


def test_before_after_estimates_both_versions() -> None:
    from dockerls.size import before_after

    slim = "FROM debian:bookworm-slim\nRUN true\n"
    found = before_after(APT, slim)
    assert found is not None
    before, after = found
    assert before > after + 40  # gcc's closure is gone
    assert before_after("FROM example.com/x:1\n", slim) is None


def test_split_title_uses_the_estimator_given_the_text() -> None:
    from dockerls.actions.offers import split_title
    from dockerls.actions.split import SplitAction

    split = SplitAction("Split", (), "generic", "debian:bookworm-slim", 1.0, 2.0)
    assert split_title(split) == "Split: ~1 MB -> ~2 MB + app"
    estimated = split_title(split, APT)
    assert estimated.startswith("Split: ~") and "~1 MB" not in estimated
    before = estimated.split("~")[1].split(" MB")[0].replace(",", "")
    assert int(before) > 100


def test_context_walk_is_bounded(tmp_path: Path) -> None:
    for n in range(5):
        (tmp_path / f"f{n}").write_bytes(b"x" * 10)
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY . /\n")
    files = read_context_files(read_build_context(tmp_path / "Dockerfile"), tmp_path, limit=3)
    assert files is not None and not files.complete and len(files.files) == 3
    from dockerls.size import estimate
    from dockerls.syntax import parse

    (stage,) = estimate(parse("FROM scratch\nCOPY . /\n"), files)
    assert stage.steps[0].amount.unknown == ("the context's files beyond those read",)
