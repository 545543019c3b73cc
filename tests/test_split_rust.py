"""Split for Rust: ``cargo build``/``cargo install``, the binary the container runs copied
to distroless cc or Debian slim (glibc builders), distroless static or scratch (Alpine).

Every offered split goes through ``assert_properties`` (tests/test_split.py).
"""

from __future__ import annotations

import pytest

from dockerls.edits import apply_edits
from tests.test_split import actions, assert_properties, by_image, check_variants, reasons

CARGO = """\
FROM rust:1.78
WORKDIR /usr/src/app
RUN apt-get update && apt-get install -y --no-install-recommends pkg-config libssl-dev \\
    && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cargo build --release
EXPOSE 8000
CMD ["./target/release/server"]
"""

CARGO_CC = """\
FROM rust:1.78 AS build
WORKDIR /usr/src/app
RUN apt-get update && apt-get install -y --no-install-recommends pkg-config libssl-dev \\
    && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /usr/src/app
COPY --from=build --chown=nonroot {server} {server}
USER nonroot
EXPOSE 8000
CMD ["./target/release/server"]
""".format(server="/usr/src/app/target/release/server")


def test_cargo_release_to_distroless_cc_and_debian_slim() -> None:
    found = actions(CARGO)
    assert [a.title for a in found] == [
        "Split into build and runtime stages (runtime on gcr.io/distroless/cc-debian13:nonroot)",
        "Split into build and runtime stages (runtime on debian:13-slim — glibc)",
    ]
    assert apply_edits(CARGO, found[0].edits) == CARGO_CC
    slim = apply_edits(CARGO, by_image(found, "debian:13-slim").edits)
    runtime = slim.split("FROM debian:13-slim\n")[1]
    assert runtime.startswith(
        "WORKDIR /usr/src/app\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends libssl3t64 "
        "ca-certificates && rm -rf /var/lib/apt/lists/*\n"
        "RUN useradd --create-home app\n"
        "COPY --from=build --chown=app /usr/src/app/target/release/server "
        "/usr/src/app/target/release/server\n"
        "RUN chown app /usr/src/app\nUSER app\n"
    )
    for action in found:
        assert action.ecosystem == "rust"
        assert_properties(CARGO, action)


def test_debian_release_in_the_tag_picks_the_same_slim() -> None:
    text = CARGO.replace("rust:1.78", "rust:1.78-bookworm")
    slim = by_image(actions(text), "debian:12-slim")
    assert "libssl3 ca-certificates" in assert_properties(text, slim)


def test_other_dev_packages_keep_distroless_cc_out() -> None:
    text = CARGO.replace("libssl-dev", "libssl-dev libpq-dev")
    found = actions(text)
    assert [a.runtime_image for a in found] == ["debian:13-slim"]
    assert "libpq5 libssl3t64 ca-certificates" in assert_properties(text, found[0])


CARGO_ALPINE = """\
FROM rust:1.79-alpine
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo install --path .
ENTRYPOINT ["todo-api"]
"""


def test_cargo_install_on_alpine_to_static_runtimes() -> None:
    found = actions(CARGO_ALPINE)
    assert [a.runtime_image for a in found] == [
        "gcr.io/distroless/static-debian13:nonroot",
        "scratch",
    ]
    for action in found:
        result = assert_properties(CARGO_ALPINE, action)
        assert "COPY --from=build /usr/local/cargo/bin/todo-api /usr/local/bin/todo-api\n" in result
    assert "ca-certificates.crt" in apply_edits(CARGO_ALPINE, found[1].edits)


def test_shell_form_start_keeps_only_slim() -> None:
    text = CARGO.replace(
        'CMD ["./target/release/server"]', "CMD ./target/release/server --port 8000"
    )
    assert [a.runtime_image for a in actions(text)] == ["debian:13-slim"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("cargo build --release", "cargo build --release --target-dir /out"), "target/"),
        (("./target/release/server", "./target/debug/server"), "not a binary the build writes"),
        (('CMD ["./target/release/server"]', 'CMD ["server"]'), "through PATH"),
        (("WORKDIR /usr/src/app\n", ""), "no WORKDIR"),
        (("RUN cargo build --release", "RUN cargo build --release && cargo build"), "more than"),
    ],
    ids=["target-dir", "debug-binary", "path-lookup", "no-workdir", "two-builds"],
)
def test_refusals_say_why(change: tuple[str, str], reason: str) -> None:
    text = CARGO.replace(*change)
    assert text != CARGO
    assert actions(text) == []
    assert reason in reasons(text)[0], reasons(text)


@pytest.mark.parametrize("text", [CARGO, CARGO_ALPINE], ids=["cargo", "cargo-alpine"])
def test_variants_are_split_correctly_or_refused(text: str) -> None:
    check_variants(text)
