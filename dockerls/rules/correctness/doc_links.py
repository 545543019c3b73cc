"""Addresses of Docker's documentation that rule docs link to: the Dockerfile reference
(``REF``, DKL501-DKL515) and the build checks (``CHECKS``, buildkit_checks).
"""

from __future__ import annotations

REF = "https://docs.docker.com/reference/dockerfile/"
CHECKS = "https://docs.docker.com/reference/build-checks/"
