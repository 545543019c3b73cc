"""The global ARGs with the values a build without ``--build-arg`` gives them.

Used by DKL533 and by the end-to-end BuildKit oracle (``e2e/buildkit_oracle.py``).
"""

from __future__ import annotations

from dockerls.rules.correctness.word_processing import process_word
from dockerls.syntax import Dockerfile

_PLATFORM_DEFAULTS = {
    "TARGETPLATFORM": "linux/amd64",
    "TARGETOS": "linux",
    "TARGETARCH": "amd64",
    "TARGETVARIANT": "",
    "BUILDPLATFORM": "linux/amd64",
    "BUILDOS": "linux",
    "BUILDARCH": "amd64",
    "BUILDVARIANT": "",
}


def arg_defaults(doc: Dockerfile) -> dict[str, str | None]:
    """The global ARGs as a build without --build-arg sees them (no default: empty)."""
    env: dict[str, str | None] = dict(_PLATFORM_DEFAULTS)
    for ins in doc.global_args:
        for pair in ins.pairs:
            value = ""
            if pair.raw_value is not None:
                value = process_word(pair.raw_value.text, env, doc.escape).value or ""
            env[pair.key.text] = value
    return env
