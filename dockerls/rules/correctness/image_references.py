"""Docker's image reference grammar (distribution/reference): why a reference or a digest
is invalid.

Used by DKL503, DKL505 (ADD --checksum), DKL507 and buildkit_checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REPOSITORY = re.compile(rf"{_NAME_COMPONENT}(?:/{_NAME_COMPONENT})*")
_DOMAIN_PART = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = re.compile(rf"(?:{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?")
_TAG = re.compile(r"\w[\w.-]{0,127}", re.ASCII)
_DIGEST = re.compile(r"([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]{32,})")
_DIGEST_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_HEX64 = re.compile(r"[a-f0-9]{64}")


@dataclass(frozen=True, slots=True)
class RefProblem:
    start: int
    end: int
    message: str
    fix: str | None = None  # replacement for text[start:end] when it is obvious


def digest_problem(digest: str) -> str | None:
    """Why a ``algorithm:hex`` digest is invalid, or None."""
    match = _DIGEST.fullmatch(digest)
    if match is None:
        return f"'{digest}' is not a digest (algorithm:hex, e.g. sha256:<64 hex digits>)"
    algorithm, hex_part = match.group(1), match.group(2)
    expected = _DIGEST_LENGTHS.get(algorithm)
    if expected is None:
        return f"unsupported digest algorithm '{algorithm}' (use sha256, sha384 or sha512)"
    if len(hex_part) != expected or hex_part != hex_part.lower():
        return f"a {algorithm} digest has exactly {expected} lowercase hex digits"
    return None


def reference_problem(text: str) -> RefProblem | None:
    """Why ``text`` is not a valid image reference (Docker's grammar), or None."""
    if not text:
        return RefProblem(0, 0, "the image name is empty")
    at = text.find("@")
    name_tag = text if at < 0 else text[:at]
    if at >= 0:
        problem = digest_problem(text[at + 1 :])
        if problem is not None:
            return RefProblem(at + 1, len(text), problem)
    slash = name_tag.rfind("/")
    colon = name_tag.find(":", slash + 1)
    name = name_tag if colon < 0 else name_tag[:colon]
    if colon >= 0:
        tag = name_tag[colon + 1 :]
        if not tag:
            return RefProblem(colon, colon + 1, "the tag after ':' is empty")
        if not _TAG.fullmatch(tag):
            return RefProblem(
                colon + 1,
                len(name_tag),
                f"invalid tag '{tag}': up to 128 letters, digits, '_', '.' and '-', "
                "not starting with '.' or '-'",
            )
    first = name.find("/")
    repo_start = 0
    if first >= 0:
        domain = name[:first]
        if any(c in domain for c in ".:") or domain == "localhost" or domain != domain.lower():
            repo_start = first + 1
            if not _DOMAIN.fullmatch(domain):
                return RefProblem(0, first, f"invalid registry host '{domain}'")
    repository = name[repo_start:]
    if not repository:
        return RefProblem(repo_start, len(name), "the repository name is empty")
    if repository != repository.lower():
        return RefProblem(
            repo_start,
            len(name),
            f"repository name '{repository}' must be lowercase",
            repository.lower() if _REPOSITORY.fullmatch(repository.lower()) else None,
        )
    if not _REPOSITORY.fullmatch(repository):
        start = repo_start
        for component in repository.split("/"):
            if not re.fullmatch(_NAME_COMPONENT, component):
                return RefProblem(
                    start,
                    start + len(component),
                    f"invalid repository name '{repository}': path components are lowercase "
                    "letters and digits, joined by '.', '_', '__' or '-'",
                )
            start += len(component) + 1
    if len(name) > 255:
        return RefProblem(0, len(name), "the repository name is longer than 255 characters")
    if _HEX64.fullmatch(name):
        return RefProblem(0, len(name), "a 64-digit hexadecimal string can not be an image name")
    return None
