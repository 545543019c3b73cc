"""System package managers that share a package index (apt, apk, yum/dnf): the
command that refreshes the index and those that install from it.

Used by DKL302 (a refresh in one RUN, the install in a later one), DKL303 (installs
that a volatile ARG re-runs) and DKL304 (installs that could use a cache mount).
"""

from __future__ import annotations

from dataclasses import dataclass

from dockerls.shell import Command, Word


@dataclass(frozen=True, slots=True)
class IndexFamily:
    """Package managers that share an index: its refresh and the commands that use it."""

    programs: frozenset[str]
    refresh: frozenset[str]
    installs: frozenset[str]
    tools: frozenset[str]  # other programs that read the same index


APT = IndexFamily(
    frozenset({"apt-get", "apt", "aptitude"}),
    frozenset({"update"}),
    frozenset(
        {"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "reinstall", "source"}
    ),
    frozenset({"apt-cache", "add-apt-repository", "apt-key", "dpkg"}),
)
APK = IndexFamily(
    frozenset({"apk"}), frozenset({"update"}), frozenset({"add", "upgrade", "fix"}), frozenset()
)
RPM = IndexFamily(
    frozenset({"yum", "dnf", "microdnf"}),
    frozenset({"makecache"}),
    frozenset({"install", "upgrade", "update", "reinstall", "groupinstall", "localinstall"}),
    frozenset({"rpm", "yum-config-manager"}),
)
FAMILIES = (APT, APK, RPM)


def index_word(cmd: Command, family: IndexFamily, words: frozenset[str]) -> Word | None:
    """The subcommand word when ``cmd`` is a ``family`` command whose subcommand is in ``words``."""
    if cmd.name not in family.programs:
        return None
    sub = cmd.subcommand()
    if sub is None or sub.text not in words:
        return None
    return sub
