"""Rust: the install is implicit in ``cargo build``; ``cargo fetch`` (from ``Cargo.toml``
and ``Cargo.lock``, with a placeholder ``src/main.rs``) is inserted above the sources."""

from __future__ import annotations

from collections.abc import Sequence

from dockerls.actions.reorder.core import Manager, No, PrefetchWords
from dockerls.rules.dependency_steps import DependencyStep
from dockerls.shell import Word

_CARGO_NOTE = "uses a placeholder src/main.rs; workspace members need their Cargo.toml too"


def _prefetch(
    step: DependencyStep, positionals: Sequence[Word], sub: str
) -> PrefetchWords | No | None:
    if sub == "chef":
        return No("`cargo chef cook` reads a recipe prepared in another stage.")
    return True, ["fetch"]


def _placeholder(shell: str, posix: bool) -> str | No:
    """The prefetch between the creation and the removal of a placeholder ``src/main.rs``."""
    if not posix:
        return No("the placeholder `cargo fetch` needs a POSIX shell, and SHELL sets another.")
    return f"mkdir -p src && echo 'fn main() {{}}' > src/main.rs && {shell} && rm -r src"


CARGO = Manager(
    "Cargo",
    manifest=("Cargo.toml",),
    lockfiles=("Cargo.lock",),
    patterns=("Cargo.*",),
    elsewhere=("--manifest-path",),
    cache_hints=("cargo",),
    notes=(_CARGO_NOTE,),
    prefetch=_prefetch,
    placeholder=_placeholder,
)
