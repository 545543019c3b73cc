"""Ruby: Bundler installs from the ``Gemfile`` and ``Gemfile.lock``; the install moves.

Gems vendored with ``bundle cache`` (``vendor/cache``, what ``bundle install --local`` and
deployment installs read) come along: a listed build context's ``vendor`` directory is
copied with the Gemfile."""

from __future__ import annotations

from dockerls.actions.reorder.core import Manager
from dockerls.context import BuildContext


def _vendor(build: BuildContext) -> tuple[str, ...]:
    """``vendor`` (its ``cache`` holds the vendored gems), copied when it exists and is sent."""
    return ("vendor",)


BUNDLER = Manager(
    "Bundler",
    manifest=("Gemfile",),
    lockfiles=("Gemfile.lock",),
    patterns=("Gemfile*",),
    lockfile_flags=("--frozen", "--deployment"),
    elsewhere=("--gemfile",),
    directories=_vendor,
)
