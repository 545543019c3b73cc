"""Pages of Docker's documentation that the rules of this family cite in their docs
(each constant is used by two or more of DKL301-DKL304, DKL351-DKL352)."""

from __future__ import annotations

OPTIMIZE = "https://docs.docker.com/build/cache/optimize/"
INVALIDATION = "https://docs.docker.com/build/cache/invalidation/"
REFERENCE = "https://docs.docker.com/reference/dockerfile/"
CONTEXT = "https://docs.docker.com/build/concepts/context/"
