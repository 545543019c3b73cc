"""The reorder for Rust: ``cargo fetch`` with a placeholder ``src/main.rs``."""

from __future__ import annotations

from tests.actions.reorder.guarantees import rewrite


def test_cargo_fetch_with_a_placeholder_is_marked_unsafe() -> None:
    action = rewrite(
        "FROM rust:1.80 AS build\nWORKDIR /usr/src/app\nCOPY . .\nRUN cargo build --release\n",
        expected="FROM rust:1.80 AS build\nWORKDIR /usr/src/app\nCOPY Cargo.* ./\n"
        "RUN mkdir -p src && echo 'fn main() {}' > src/main.rs && cargo fetch && rm -r src\n"
        "COPY . .\nRUN cargo build --release\n",
        instructions=6,
    )
    assert action.unsafe_reason is not None and "placeholder" in action.unsafe_reason
