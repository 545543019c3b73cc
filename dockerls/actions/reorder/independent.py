"""Commands that change only things outside the project and read none of its files
(``apt-get install``, ``npm install -g x``, ``pip install gunicorn``, ``poetry config``):
a RUN of them may stay above the sources, and they move with an install."""

from __future__ import annotations

from dockerls.actions.reorder.core import Copy, program
from dockerls.actions.reorder.node import JS
from dockerls.dockerignore import go_clean
from dockerls.rules.dependency_steps import dependency_step
from dockerls.shell import Command

_PACKAGE_MANAGERS = frozenset(
    {"apt-get", "apt", "aptitude", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper"}
)
SHELL_STATE = frozenset({"set", "export", "true", ":"})
_USER_TOOLS = frozenset({"useradd", "adduser", "groupadd", "addgroup", "usermod"})


def relative_path(text: str) -> bool:
    """A word that names a path relative to the working directory (``.``, ``src/x``)."""
    if not text or text.startswith(("/", "$", "~", "-", "@")) or "://" in text:
        return False
    return text in (".", "..") or text.startswith(("./", "../")) or "/" in text


def independent(cmd: Command, copy: Copy | None) -> bool:
    """Whether ``cmd`` changes only things outside the project and reads none of its files."""
    for redirect in cmd.redirects:
        target = redirect.target.text if redirect.target is not None else ""
        if redirect.operator.startswith("<<"):
            continue
        if not target.isdigit() and not target.startswith(("/", "&")) and target != "-":
            return False
    if cmd.in_substitution:
        return False
    name = program(cmd.argv[0])
    args = cmd.args
    positionals = cmd.positionals()
    if any(relative_path(w.text) for w in positionals):
        return False
    sub = positionals[0].text if positionals else ""
    if name in _PACKAGE_MANAGERS or name in _USER_TOOLS or name in ("corepack", "rustup"):
        return True
    if name in ("mkdir", "echo", "printf"):
        return True
    if name == "rm":
        if copy is None or not copy.dest.startswith("/"):
            return False
        inside = go_clean(copy.dest)
        return bool(positionals) and all(
            w.text.startswith("/")
            and not (go_clean(w.text) + "/").startswith(inside.rstrip("/") + "/")
            for w in positionals
        )
    if name in JS:
        if sub == "config":
            return True
        global_install = cmd.has_option("-g", "--global") or sub == "global"
        return global_install and dependency_step(cmd) is None
    if name == "python" and len(args) >= 2 and args[0].text == "-m":
        module = args[1].text
        if module == "venv":
            return True
        if module == "pip":
            return _pip_named(cmd.shifted(2))
        return False
    if name == "pip":
        return _pip_named(cmd)
    if name == "gem":
        return sub in ("install", "update") and not any(
            w.text.endswith(".gem") for w in positionals
        )
    return _tool_setup(cmd, name, sub)


# Subcommands of project tools that change only the user's or the system's setup.
_TOOL_SETUP: dict[str, frozenset[str]] = {
    "poetry": frozenset({"self", "config"}),
    "uv": frozenset({"tool", "python"}),
    "go": frozenset({"install", "env"}),
    "cargo": frozenset({"install"}),
    "composer": frozenset({"global", "config"}),
    "bundle": frozenset({"config"}),
    "dotnet": frozenset({"tool"}),
}
_PROJECT_SCOPE = ("--local", "--location=project", "--project", "--tool-manifest")
_USER_SCOPE = ("-g", "--global", "--tool-path")


def _tool_setup(cmd: Command, name: str, sub: str) -> bool:
    """``poetry config virtualenvs.create false``, ``go install x@v1``, ``dotnet tool install
    -g x``: setup outside the project (never its files, never a project-level setting)."""
    if sub not in _TOOL_SETUP.get(name, frozenset()) or dependency_step(cmd) is not None:
        return False
    if any(w.text.split("=", 1)[0] in _PROJECT_SCOPE for w in cmd.args):
        return False
    if (name in ("composer", "bundle") and sub == "config") or name == "dotnet":
        return cmd.has_option(*_USER_SCOPE)
    return True


def _pip_named(cmd: Command) -> bool:
    """``pip install gunicorn`` or ``pip cache purge``: nothing from the project."""
    if dependency_step(cmd) is not None:
        return False
    positionals = cmd.positionals()
    sub = positionals[0].text if positionals else ""
    if sub in ("cache", "config"):
        return True
    if sub not in ("install", "uninstall"):
        return False
    return not any(
        opt.name in ("-r", "--requirement", "-c", "--constraint", "-e", "--editable")
        or (opt.name in ("-f", "--find-links") and opt.value and relative_path(opt.value.text))
        for opt in cmd.options()
    )
