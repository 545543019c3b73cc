"""find_source_before_install, the finder behind DKL301 that the reorder refactoring reuses."""

from __future__ import annotations

from dockerls.context import PackageManager
from dockerls.rules.cache.source_before_install import SourceKind, find_source_before_install
from tests.rules.cache.rule_contexts import rule_context


def test_find_source_before_install_is_reusable() -> None:
    ctx = rule_context("FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go mod download\n")
    (item,) = find_source_before_install(ctx, ctx.document.stages[0])
    assert item.copy.name == "COPY" and item.source.text == "."
    assert item.kind is SourceKind.CONTEXT
    assert item.install.name == "RUN" and item.step.manager is PackageManager.GO
    assert item.step.shown == "go mod download" and not item.step.implicit
