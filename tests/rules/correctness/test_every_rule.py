"""Every rule of the correctness family and of BuildKit's checks: documented, mapped, and
no false builder error on the corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerls.analysis import analyze
from dockerls.rules.engine import Category
from dockerls.rules.registry import lookup
from dockerls.syntax import Severity
from tests.corpus import corpus_params, read


def test_every_rule_is_documented_and_mapped() -> None:
    for number in [*range(501, 515), *range(520, 538)]:
        rule = lookup(f"DKL{number}")
        assert rule is not None
        assert rule.category in (Category.CORRECTNESS, Category.STYLE)
        assert rule.docs.what and rule.docs.why and rule.docs.references
        if number >= 520:
            assert rule.buildkit, rule.code
        elif rule.severity != Severity.ERROR:
            assert rule.code in ("DKL507", "DKL513")


@pytest.mark.parametrize("path", corpus_params())
def test_no_false_builder_error_on_real_dockerfiles(path: Path) -> None:
    """Every corpus file builds, so no correctness rule may call it an error.

    The corpus README lists no deliberately broken files, so there is no exception.
    """
    for f in analyze(read(path)).findings:
        rule = lookup(f.code)
        if rule is not None and rule.category == Category.CORRECTNESS:
            assert f.severity != Severity.ERROR, (f.code, f.span, f.message)
