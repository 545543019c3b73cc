"""The reorder for Go: ``go mod download`` before the sources."""

from __future__ import annotations

from tests.actions.reorder.guarantees import context, rewrite


def test_go_build_gets_go_mod_download_first() -> None:
    rewrite(
        "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\n"
        "RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server\n"
        "FROM gcr.io/distroless/static\nCOPY --from=build /out/server /server\n",
        expected="FROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.* ./\n"
        "RUN CGO_ENABLED=0 go mod download\nCOPY . .\n"
        "RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server\n"
        "FROM gcr.io/distroless/static\nCOPY --from=build /out/server /server\n",
        instructions=8,
        title="Copy go.* and run `go mod download` before COPY . . (Go)",
    )


def test_go_with_a_context_and_a_cache_mount() -> None:
    rewrite(
        "FROM golang:1.23\nWORKDIR /src\nCOPY . .\n"
        "RUN --mount=type=cache,target=/go/pkg/mod go build -o /app .\n",
        context("go.mod go.sum main.go"),
        expected="FROM golang:1.23\nWORKDIR /src\nCOPY go.mod go.sum ./\n"
        "RUN --mount=type=cache,target=/go/pkg/mod go mod download\nCOPY . .\n"
        "RUN --mount=type=cache,target=/go/pkg/mod go build -o /app .\n",
        instructions=6,
    )


def test_go_exec_form_build_gets_an_exec_form_download() -> None:
    rewrite(
        'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN ["go", "build", "-o", "app"]\n',
        expected='FROM golang:1.23\nWORKDIR /src\nCOPY go.* ./\nRUN ["go", "mod", "download"]\n'
        'COPY . .\nRUN ["go", "build", "-o", "app"]\n',
        instructions=6,
    )
