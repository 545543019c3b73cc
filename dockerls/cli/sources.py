"""Finding and reading the files named on the command line.

A directory is searched for Dockerfiles (``discover``); each file is read, bounded in
size, and decoded (``read_source``, ``decode``); ``read_sources`` does both for a
command and says what could not be read.
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Iterable

from dockerls.cli.report import FileError

# Directory names never searched when walking a directory.
SKIPPED_DIRS = frozenset({".git", "node_modules", ".venv"})

STDIN = "-"

# Files bigger than this are not checked: real Dockerfiles are a few kilobytes, and
# analysing megabytes of text would take minutes.
MAX_SOURCE_BYTES = 1 << 20


class SourceError(Exception):
    """A file that cannot be checked; the message is the reason shown to the user."""


def is_dockerfile_name(name: str) -> bool:
    """Whether a file found while walking a directory is a Dockerfile.

    ``Dockerfile``, ``Dockerfile.*``, ``*.Dockerfile`` and the same for
    ``Containerfile``, in any letter case. ``Dockerfile.dockerignore`` is the
    per-Dockerfile ignore file, not a Dockerfile.
    """
    lower = name.lower()
    if lower.endswith(".dockerignore"):
        return False
    return (
        lower in ("dockerfile", "containerfile")
        or lower.startswith(("dockerfile.", "containerfile."))
        or lower.endswith(".dockerfile")
    )


def error_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _walk(root: str, errors: list[FileError], warnings: list[str]) -> list[str]:
    def on_error(exc: OSError) -> None:
        errors.append(FileError(exc.filename or root, error_reason(exc)))

    real_root = os.path.realpath(root)
    found: list[str] = []
    # Symbolic links to directories are listed but not entered (followlinks=False),
    # so a link cycle cannot make the walk loop.
    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        dirnames[:] = [d for d in dirnames if d not in SKIPPED_DIRS]
        for name in filenames:
            if not is_dockerfile_name(name):
                continue
            path = os.path.normpath(os.path.join(dirpath, name))
            if os.path.islink(path):
                target = os.path.realpath(path)
                if os.path.commonpath((real_root, target)) != real_root:
                    warnings.append(f"{path}: not followed: a symbolic link out of {root}")
                    continue
            found.append(path)
    return sorted(found, key=lambda path: path.split(os.sep))


def discover(
    paths: Iterable[str], warnings: list[str] | None = None
) -> tuple[list[str], list[FileError]]:
    """The files to check, in order, and the directories that could not be searched.

    A directory is searched recursively for Dockerfiles (see ``is_dockerfile_name``);
    a symbolic link found there that leads out of it is skipped with a line in
    ``warnings``. Anything else, including ``-`` (standard input) and a path that
    does not exist, is taken as a file to read, so reading reports what is wrong with it.
    """
    files: list[str] = []
    errors: list[FileError] = []
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            files.extend(_walk(path, errors, [] if warnings is None else warnings))
        else:
            files.append(path)
    return list(dict.fromkeys(files)), errors


def decode(data: bytes) -> str:
    """The text of a Dockerfile; a UTF-8 byte order mark is kept (the parser records it)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError("encoded as UTF-16, not UTF-8")
    if b"\0" in data:
        raise SourceError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise SourceError(f"not valid UTF-8 (byte 0x{byte:02x} at offset {exc.start})") from None


def read_source(path: str) -> str:
    """The text of ``path``; ``-`` reads standard input.

    Only a regular file (or standard input) of at most ``MAX_SOURCE_BYTES`` is read:
    a FIFO or a device is refused without waiting on it.
    """
    from dockerls.context_io import NotReadable, read_bounded, read_regular_file

    try:
        if path == STDIN:
            data = read_bounded(sys.stdin.buffer.read, MAX_SOURCE_BYTES)
        else:
            data = read_regular_file(path, MAX_SOURCE_BYTES)
    except OSError as exc:
        raise SourceError(error_reason(exc)) from None
    except NotReadable as exc:
        raise SourceError(str(exc)) from None
    return decode(data)


def read_sources(
    names: list[str], errors: list[FileError]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The files ``names`` lead to, and (path, text) for those that could be read; discovery
    warnings go to standard error, files that cannot be read to ``errors``."""
    warnings: list[str] = []
    paths, found = discover(names, warnings)
    errors.extend(found)
    for warning in warnings:
        print(f"dockerls: warning: {warning}", file=sys.stderr)
    sources: list[tuple[str, str]] = []
    for path in paths:
        try:
            sources.append((path, read_source(path)))
        except SourceError as exc:
            errors.append(FileError(path, str(exc)))
    return paths, sources
