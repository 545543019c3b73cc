"""Docker's image reference grammar (image_references)."""

from __future__ import annotations

import pytest

from dockerls.rules.correctness.image_references import reference_problem
from tests.rules.correctness.digests import SHA


@pytest.mark.parametrize(
    "ref",
    [
        "node:20",
        "scratch",
        "library/node",
        "registry.example.com:5000/team/app:1.0",
        f"node:20@sha256:{SHA}",
        f"alpine@sha256:{SHA}",
        "localhost/app",
        "MyRegistry.io/app:1",
        "ghcr.io/owner/repo__x/a-b.c:v1.2_3",
    ],
)
def test_valid_references(ref: str) -> None:
    assert reference_problem(ref) is None


@pytest.mark.parametrize(
    ("ref", "part"),
    [
        ("Node:20", "Node"),
        ("node:", ":"),
        ("node:-x", "-x"),
        ("alpine@sha256:abc", "sha256:abc"),
        (f"alpine@md5:{SHA}", f"md5:{SHA}"),
        ("my_-app", "my_-app"),
        ("bad!.io/app", "bad!.io"),
        ("team/bad name", "bad name"),
        ("", ""),
    ],
)
def test_invalid_references(ref: str, part: str) -> None:
    problem = reference_problem(ref)
    assert problem is not None and ref[problem.start : problem.end] == part
