"""The fixes a stage rule offers, as (title, safe) pairs: used by the DKL201, DKL204 and
DKL205 tests."""

from __future__ import annotations

from dockerls.context import BuildContext
from tests.rulecheck import findings


def titles(code: str, text: str, context: BuildContext | None = None) -> list[tuple[str, bool]]:
    (f,) = findings(code, text) if context is None else findings(code, text, context)
    return [(fix.title, fix.safe) for fix in f.fixes]
