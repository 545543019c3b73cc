"""Access to the shared corpus of real Dockerfiles (never copied into the project)."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SKIP_REASON = f"the shared corpus is not present at {CORPUS} (it lives beside the repository)"


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(
        p for p in CORPUS.iterdir() if p.is_file() and p.name not in ("README.md", "MANIFEST.tsv")
    )


def corpus_params() -> list[object]:
    """One pytest parameter per corpus file, or a single skipped one when it is absent."""
    files = corpus_files()
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=SKIP_REASON), id="no-corpus")]
    return [pytest.param(p, id=p.name) for p in files]


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")
