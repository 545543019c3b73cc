"""Which packages an install or removal command names, by manager family (DKL109, DKL113)."""

from __future__ import annotations

from dockerls.rules.package_managers import PACKAGE_INSTALLS, PACKAGE_REMOVALS, RPM_MANAGERS
from dockerls.shell import Command, Word


def package_changes(prog: str, view: Command) -> tuple[str, bool, list[Word]] | None:
    """(manager family, installs?, package words) for an install or removal command."""
    sub = view.subcommand()
    if sub is None:
        return None
    install = sub.text in PACKAGE_INSTALLS.get(prog, ())
    if not install and sub.text not in PACKAGE_REMOVALS.get(prog, ()):
        return None
    words = [
        w
        for w in view.positionals()[1:]
        if not w.dynamic and not w.text.startswith(("/", "./", "-")) and w.text
    ]
    if prog == "apk" and sub.text == "add":
        virtual = view.option_value("--virtual", "-t")
        if virtual is not None:
            words.append(virtual)
    return ("rpm" if prog in RPM_MANAGERS else prog), install, words
