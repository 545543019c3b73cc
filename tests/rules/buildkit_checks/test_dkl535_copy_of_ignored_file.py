"""DKL535 copy-of-ignored-file: flagged and clean cases."""

from __future__ import annotations

import pytest

from dockerls.context import BuildContext
from dockerls.dockerignore import DockerIgnore
from tests.rulecheck import check, clean


def _ignoring(patterns: str) -> BuildContext:
    return BuildContext(
        known=True,
        dockerignore=DockerIgnore.parse(patterns),
        dockerignore_path="/ctx/.dockerignore",
    )


def test_copy_of_ignored_file() -> None:
    f, g = check(
        "DKL535", "FROM a\nCOPY ⟨README.md⟩ ⟨./docs/a.md⟩ /docs/\n", _ignoring("*.md\ndocs\n")
    )
    assert "line 1: *.md" in f.message and "line 2: docs" in g.message


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("FROM a AS b\nFROM c\nCOPY --from=b README.md /x/\n", _ignoring("*.md\n")),
        ("FROM a\nCOPY . /app/\n", _ignoring("*.md\n")),
        ("FROM a\nCOPY README.md /x/\n", BuildContext(known=False)),
        ("FROM a\nCOPY README.md /x/\n", _ignoring("*.md\n!README.md\n")),
        ("FROM a\nADD https://example.com/README.md /y\n", _ignoring("*.md\n")),
        ("FROM a\nCOPY $DOC /y/\n", _ignoring("*.md\n")),
    ],
)
def test_copy_of_ignored_file_clean(text: str, context: BuildContext) -> None:
    clean("DKL535", text, context)
