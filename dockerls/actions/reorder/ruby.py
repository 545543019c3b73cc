"""Ruby: Bundler installs from the ``Gemfile`` and ``Gemfile.lock``; the install moves."""

from __future__ import annotations

from dockerls.actions.reorder.core import Manager

BUNDLER = Manager(
    "Bundler",
    manifest=("Gemfile",),
    lockfiles=("Gemfile.lock",),
    patterns=("Gemfile*",),
    lockfile_flags=("--frozen", "--deployment"),
    elsewhere=("--gemfile",),
)
