"""The program a command really runs and its canonical name.

``unwrap(cmd)`` and ``program(name)``: ``npx tsc`` runs ``tsc``, ``python3 -m pip`` runs
``pip``; ``pip3.12`` is ``pip``, ``./mvnw`` is ``mvn``. The rules' tables are keyed by
these names.
"""

from __future__ import annotations

import re

from dockerls.shell import Command

_NODE_RUNNERS = frozenset({"npx", "bunx", "pnpx", "corepack"})
_VERSIONED = re.compile(r"(pip|pipenv|python|wget|helm)[0-9.]*")
_ALIASES = {
    "dnf5": "dnf",
    "mvnw": "mvn",
    "gradlew": "gradle",
    "bsdtar": "tar",
    "yarnpkg": "yarn",
    "bundler": "bundle",
    "composer.phar": "composer",
}


def program(name: str) -> str:
    """A program's canonical name: ``/usr/bin/pip3.12`` is ``pip``, ``./mvnw`` is ``mvn``."""
    base = name.rsplit("/", 1)[-1].lower()
    versioned = _VERSIONED.fullmatch(base)
    if versioned is not None:
        base = versioned.group(1)
    return _ALIASES.get(base, base)


def unwrap(cmd: Command) -> Command:
    """The command that does the work, its launchers moved to the prefix words.

    ``npx tsc`` (``bunx``, ``pnpx``, ``corepack``), ``pnpm exec``/``yarn dlx``/``bundle
    exec x``, ``poetry run x`` (``uv run``, ``pipenv run``), ``python3 -m pip``, ``sh
    ./gradlew`` and ``php composer.phar`` run ``tsc``, ``x``, ``pip``, ``gradlew`` and
    ``composer.phar``: the tables of the rules are keyed by the program that does the work.
    """
    for _ in range(3):
        name = program(cmd.name)
        args = [w.text for w in cmd.args]
        if name in _NODE_RUNNERS and args:
            skip = 1
            while skip < len(args) and args[skip - 1].startswith("-"):
                skip += 1
            cmd = cmd.shifted(skip)
        elif _launches(name, args) or (name == "python" and args[:1] == ["-m"] and args[1:]):
            cmd = cmd.shifted(2)
        elif (name in ("sh", "bash") and args and program(args[0]) in ("gradle", "mvn")) or (
            name == "php" and args and args[0].rsplit("/", 1)[-1] in ("composer", "composer.phar")
        ):
            cmd = cmd.shifted(1)
        else:
            break
    return cmd


def _launches(name: str, args: list[str]) -> bool:
    """``pnpm exec x``, ``yarn dlx x``, ``bundle exec x``, ``poetry run x``: run ``x``."""
    if name in ("pnpm", "yarn", "npm", "bundle"):
        return args[:1] in (["exec"], ["dlx"])
    return name in ("poetry", "uv", "pipenv") and args[:1] == ["run"] and len(args) > 1
