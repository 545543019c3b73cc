"""Rules of the correctness family: what the builder rejects, and BuildKit's checks (being written)."""

from __future__ import annotations

from dockerls.rules.engine import Rule

RULES: tuple[Rule, ...] = ()
