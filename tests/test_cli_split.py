"""`dockerls fix --split`: the split refactor on the command line, through a subprocess."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import run
from tests.test_split import GO  # the single-stage Go build the split tests share

GO_SCRATCH_TAIL = """\
FROM scratch
USER 65532:65532
WORKDIR /src
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /bin/server /bin/server
EXPOSE 8080
ENTRYPOINT ["/bin/server"]
"""

MULTI_STAGE = (
    "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n"
)


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "Dockerfile"
    path.write_text(text, encoding="utf-8")
    return path


def test_split_rewrites_the_file_with_the_first_runtime(tmp_path: Path) -> None:
    path = _file(tmp_path, GO)
    result = run("fix", "--split", str(path))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("FROM golang:1.22 AS build\n")
    assert "\nFROM gcr.io/distroless/static-debian13:nonroot\n" in text
    assert "runtime on gcr.io/distroless/static-debian13:nonroot" in result.stderr
    assert "note: Only the binary /bin/server reaches the runtime" in result.stderr
    assert "Fixed 1 finding in 1 file (DKL203: 1)" in result.stdout
    # Nothing the split remedies is left; the exit status says whether anything is.
    assert " DKL20" not in result.stdout
    assert result.returncode in (0, 1)


def test_split_runtime_picks_the_kind(tmp_path: Path) -> None:
    path = _file(tmp_path, GO)
    result = run("fix", "--split", "--runtime", "scratch", str(path))
    assert path.read_text(encoding="utf-8").endswith(GO_SCRATCH_TAIL)
    assert "runtime on scratch" in result.stderr


def test_split_diff_changes_nothing(tmp_path: Path) -> None:
    path = _file(tmp_path, GO)
    result = run("fix", "--split", "--diff", str(path))
    assert path.read_text(encoding="utf-8") == GO
    assert "-FROM golang:1.22\n+FROM golang:1.22 AS build\n" in result.stdout
    assert "+FROM gcr.io/distroless/static-debian13:nonroot\n" in result.stdout
    assert "Would fix 1 finding in 1 file (DKL203: 1)" in result.stderr


def test_split_from_standard_input_prints_the_result() -> None:
    result = run("fix", "--split", "--runtime", "scratch", "-", stdin=GO.encode())
    assert result.stdout.endswith(GO_SCRATCH_TAIL)


def test_a_file_that_cannot_be_split_is_an_error_and_is_kept(tmp_path: Path) -> None:
    path = _file(tmp_path, MULTI_STAGE)
    other = tmp_path / "go" / "Dockerfile"
    other.parent.mkdir()
    other.write_text(GO, encoding="utf-8")
    result = run("fix", "--split", str(path), str(other))
    assert result.returncode == 2
    assert path.read_text(encoding="utf-8") == MULTI_STAGE
    assert f"dockerls: {path}: not split: The final stage ships no full base" in result.stderr
    assert "Traceback" not in result.stderr
    # The other file is still split.
    assert other.read_text(encoding="utf-8").startswith("FROM golang:1.22 AS build\n")


def test_a_runtime_that_is_not_offered_says_which_are(tmp_path: Path) -> None:
    path = _file(tmp_path, GO)
    result = run("fix", "--split", "--runtime", "alpine", str(path))
    assert result.returncode == 2
    assert path.read_text(encoding="utf-8") == GO
    assert "not split: no alpine runtime is offered for this build; offered: distroless" in (
        result.stderr
    )
