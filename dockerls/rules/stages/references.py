"""Documentation pages the docs of several stage rules cite (DKL201 to DKL204, DKL206)."""

from __future__ import annotations

MULTI_STAGE = "https://docs.docker.com/build/building/multi-stage/"
BEST_PRACTICES = "https://docs.docker.com/build/building/best-practices/"
