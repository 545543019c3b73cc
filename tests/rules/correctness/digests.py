"""A valid-looking sha256 hex digest for the correctness rule tests."""

from __future__ import annotations

SHA = "a" * 64
