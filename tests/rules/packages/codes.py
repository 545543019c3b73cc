"""The package rules' codes, under the names their tests use."""

from __future__ import annotations

(
    RECOMMENDS,
    APT_LISTS,
    APK,
    PIP,
    RPM,
    NODE,
    GEM,
    BUILD_CACHE,
    LATER,
    UPGRADE,
    CURL_WGET,
    USERADD,
    MISMATCH,
    ARCHIVE,
    CHOWN,
) = (f"DKL1{n:02d}" for n in range(1, 16))
