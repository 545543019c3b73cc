"""The reorder over the corpus: every DKL301 finding gets a rewrite or a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerls.analysis import analyze
from tests.actions.reorder.guarantees import assert_guarantees, plan
from tests.corpus import SKIP_REASON, corpus_files, corpus_params, read


def _dkl301_installs(text: str) -> set[tuple[object, object]]:
    """(source span, install word span) of every DKL301 occurrence."""
    return {
        (f.span, related.span)
        for f in analyze(text).findings
        if f.code == "DKL301"
        for related in f.related
    }


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_file_gets_an_action_or_a_reason(path: Path) -> None:
    text = read(path)
    flagged = _dkl301_installs(text)
    found = plan(text)
    offered = {(a.span, a.install) for a in found.actions}
    explained = {(r.span, r.install) for r in found.refusals}
    assert not offered & explained
    # Every flagged install is answered (installs in ONBUILD triggers are reported
    # at the trigger; one COPY flagged in several stages is answered once).
    assert {install for _, install in flagged} <= {i for _, i in offered | explained}
    for action in found.actions:
        assert_guarantees(text, action)
    for refusal in found.refusals:
        assert refusal.reason.endswith(".") and len(refusal.reason) > 20


def test_corpus_counts() -> None:
    files = corpus_files()
    if not files:
        pytest.skip(SKIP_REASON)
    with_finding = offered = explained = 0
    for path in files:
        text = read(path)
        if not _dkl301_installs(text):
            continue
        with_finding += 1
        found = plan(text)
        offered += bool(found.actions)
        explained += bool(found.refusals) and not found.actions
    assert with_finding > 0
    assert offered + explained == with_finding
    assert offered >= with_finding // 2  # most files get a rewrite without any context
