"""What a RUN's command does to the running container rather than to the build: the
programs that configure it (``configure.py`` places some of them) and the OS packages the
application may need at run time, beside the packages a build only fetches or compiles
with. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence

from dockerls.actions.split.original_stage import resolve, sub
from dockerls.knowledge.images import package_kind
from dockerls.rules.package_managers import PACKAGE_INSTALLS
from dockerls.shell import Command

# Programs whose effect is on the running container, not on the build (configure.py places
# some of them: PLACEABLE).
CONFIGURES = frozenset(
    {"useradd", "adduser", "addgroup", "groupadd", "usermod", "groupmod", "chown", "chmod"}
    | {"chgrp", "ln", "setcap", "mkdir", "update-ca-certificates", "cp", "mv", "echo"}
    | {"sed", "tee", "printf", "cat", "touch", "locale-gen", "npm-install-global"}
)
# The redirections that write a file.
_WRITES = (">", ">>", "1>", "1>>", ">|", "&>", "&>>")
# Runtime-kind packages a build step legitimately fetches with.
FETCH_PACKAGES = frozenset({"git", "curl", "wget", "ca-certificates", "openssh-client", "bash"})
CGO_PACKAGES = frozenset(
    {"gcc", "g++", "musl-dev", "build-base", "libc-dev", "libc6-dev", "clang", "build-essential"}
)
# OS packages a build installs to install or build, never to run the program: they stay
# in the builder even where the knowledge base counts them as run-time pieces (unzip is
# what Composer extracts its downloads with).
BUILD_ONLY = frozenset(
    {"python3-pip", "python-pip", "py3-pip", "python3-venv", "python3-setuptools"}
    | {"python3-wheel", "py3-setuptools", "py3-wheel", "python3-distutils", "pipx"}
    | {"python3-poetry", "pipenv", "patch", "composer", "unzip"}
)


def configures(
    cmd: Command, cwd: str, kept: Sequence[str], carry: list[tuple[str, str]] | None = None
) -> str | None:
    """What a command does to the running container, if anything.

    ``kept``: directories that exist in the runtime anyway (the final WORKDIR) or
    that later COPY/ADD instructions fill; creating one of them (or a parent) is harmless.
    """
    name = cmd.name
    if name == "mkdir":
        paths = [w for w in cmd.positionals() if not w.text.startswith("-")]
        if paths and all(
            not w.dynamic
            and any(
                (k.rstrip("/") + "/").startswith(resolve(cwd, w.text).rstrip("/") + "/")
                for k in kept
            )
            for w in paths
        ):
            return None
    if name in ("echo", "printf") and not any(
        r.operator in _WRITES and r.target and not r.target.text.startswith("/dev/")
        for r in cmd.redirects
    ):
        return None  # it prints (into a pipe, say): it changes no file
    if name in CONFIGURES:
        return f"runs `{name}`, which configures the running container"
    verb = sub(cmd)
    if verb is not None and verb in PACKAGE_INSTALLS.get(name, ()):
        for word in cmd.positionals()[1:]:
            package = re.split(r"[=<>~]", word.text.strip("\"'"), maxsplit=1)[0].lower()
            if word.dynamic:
                return f"installs `{word.text}` (packages not known before the build)"
            if package in FETCH_PACKAGES or package in CGO_PACKAGES or package in BUILD_ONLY:
                continue
            if package_kind(package, name) != "build":
                if carry is None:
                    return f"installs `{package}`, which the application may need at run time"
                if (name, package) not in carry:
                    carry.append((name, package))
    return None
