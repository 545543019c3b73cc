"""Links to Docker's documentation that the package rules' docs cite (DKL101-DKL115)."""

from __future__ import annotations

DOCKERFILE = "https://docs.docker.com/reference/dockerfile/"
BEST_PRACTICES = "https://docs.docker.com/build/building/best-practices/"
CACHE_MOUNTS = "https://docs.docker.com/build/cache/optimize/#use-cache-mounts"
LAYERS = "https://docs.docker.com/get-started/docker-concepts/building-images/understanding-image-layers/"
