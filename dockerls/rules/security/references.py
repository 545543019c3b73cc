"""The documentation the security rules' docs link to, as URL prefixes.

The Dockerfile reference (DKL401, DKL402, DKL404, DKL405, DKL407), Docker's build best
practices (DKL401, DKL402, DKL405), hadolint's wiki (DKL401 to DKL405, DKL407) and BuildKit's
build checks (DKL403, DKL407).
"""

from __future__ import annotations

DOCKERFILE_REFERENCE = "https://docs.docker.com/reference/dockerfile/"
BEST_PRACTICES = "https://docs.docker.com/build/building/best-practices/"
HADOLINT_WIKI = "https://github.com/hadolint/hadolint/wiki/"
BUILD_CHECKS = "https://docs.docker.com/reference/build-checks/"
