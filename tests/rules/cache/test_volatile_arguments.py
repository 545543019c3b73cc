"""volatile_kind: which ARG names change on every build (DKL303)."""

from __future__ import annotations

import pytest

from dockerls.rules.cache.volatile_arguments import volatile_kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("BUILD_DATE", "a timestamp"),
        ("build_time", "a timestamp"),
        ("TIMESTAMP", "a timestamp"),
        ("GIT_COMMIT", "a commit id"),
        ("GIT_SHA", "a commit id"),
        ("COMMIT_SHA", "a commit id"),
        ("VCS_REF", "a commit id"),
        ("SOURCE_COMMIT", "a commit id"),
        ("REVISION", "a commit id"),
        ("BUILD_NUMBER", "a CI build number"),
        ("CI_PIPELINE_ID", "a CI build number"),
        ("GITHUB_RUN_ID", "a CI build number"),
        ("NODE_VERSION", None),
        ("VERSION", None),
        ("CACHEBUST", None),
        ("SOURCE_DATE_EPOCH", None),
        ("UPDATE_MODE", None),
        ("NODE_SHA256", None),
        ("RUNTIME", None),
    ],
)
def test_volatile_names(name: str, kind: str | None) -> None:
    assert volatile_kind(name) == kind
