"""Debian's Emacs 28 with eglot and with lsp-mode, configured with exactly the Lisp of
docs/editors.md (its ```elisp blocks are copied into ~/.emacs.d/init.el and .dir-locals.el),
run interactively (``emacs -nw`` in tmux) on a copy of examples/node-app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from e2e.editors.emacs import Emacs, documented_elisp, emacs_session
from e2e.editors.tooling import EmacsTools, cli_codes
from e2e.editors.vscode import wait_for

FROM_LINE, IMAGE_COLUMN = 2, 5  # `node:20` in `FROM node:20`, 0-based column
RUN_APT_LINE, INSTALL_COLUMN = 9, 30


def diagnostics(state: dict[str, Any]) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = [*state["flymake"], *state["flycheck"]]
    return shown


def wait_diagnostics(emacs: Emacs, dockerfile: Path, what: str, check: Any) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def probe() -> dict[str, Any] | None:
        seen.clear()
        seen.update(emacs.state(dockerfile))
        return seen if check(diagnostics(seen)) else None

    try:
        return wait_for(what, probe, 60)
    except AssertionError as error:
        raise AssertionError(f"{error}; Emacs shows:\n{emacs.screen()}\n{seen}") from None


def emacs_echo(emacs: Emacs) -> dict[str, str]:
    shown: dict[str, str] = emacs.eval("(dockerls-e2e-echo)")
    return shown


def hover_text(emacs: Emacs, dockerfile: Path, wanted: str) -> str:
    """Point onto the base image the way the user moves (a key), then what eldoc shows."""
    emacs.eval(f'(dockerls-e2e-goto "{dockerfile}" {FROM_LINE} {IMAGE_COLUMN})')
    emacs.keys("C-f")
    shown = wait_for(
        f"eldoc to show {wanted!r}",
        lambda: next((text for text in emacs_echo(emacs).values() if wanted in text), None),
    )
    text: str = shown
    return text


def apply_quick_fix(emacs: Emacs, dockerfile: Path, title: str) -> list[str]:
    offered: list[str] = emacs.eval(
        f'(dockerls-e2e-code-action "{dockerfile}" {RUN_APT_LINE} {INSTALL_COLUMN} "{title}")'
    )
    emacs.keys("C-x", "C-s")
    wait_for("the saved fix", lambda: "--no-install-recommends" in dockerfile.read_text())
    return offered


def test_eglot(emacs: EmacsTools, workspace: Path, tmp_path: Path) -> None:
    """eglot with the docs' init and .dir-locals.el: dockerls attaches to the Dockerfile buffer
    in dockerfile-mode; flymake shows the CLI's codes minus the ignored DKL401, DKL201 as an
    error (the severity setting reached the server); eldoc shows the variant table; a code
    action applies and saves."""
    blocks = documented_elisp()
    mode_setup, (eglot_setup, dir_locals) = blocks[""], blocks["eglot"]
    dockerfile = workspace / "Dockerfile"
    expected = cli_codes(dockerfile)
    assert {"DKL401", "DKL201"} <= expected
    (workspace / ".dir-locals.el").write_text(dir_locals)
    assert ':ignore ["DKL401"]' in dir_locals and '(:DKL201 "error")' in dir_locals
    init = "\n".join([*mode_setup, eglot_setup])
    with emacs_session(emacs, tmp_path / "home", init, dockerfile) as session:
        session.keys("C-l")  # eglot-ensure connects after the first command
        state = wait_diagnostics(
            session,
            dockerfile,
            "flymake to show the server's diagnostics",
            lambda shown: {d["code"] for d in shown} == expected - {"DKL401"},
        )
        assert state["mode"] == "dockerfile-mode"
        assert state["eglot"] == ["dockerls", "serve"]
        types = {d["code"]: d["type"] for d in diagnostics(state)}
        assert types["DKL201"] == "eglot-error"  # the .dir-locals.el severity
        assert types["DKL101"] == "eglot-warning"

        hover = hover_text(session, dockerfile, "| Default user |")
        assert "node:20" in hover and "MB" in hover

        offered = apply_quick_fix(session, dockerfile, "Add --no-install-recommends")
        assert any("Ignore DKL101" in title for title in offered)
        wait_diagnostics(
            session,
            dockerfile,
            "DKL101 to go after its fix",
            lambda shown: "DKL101" not in {d["code"] for d in shown},
        )


def test_lsp_mode(emacs: EmacsTools, workspace: Path, tmp_path: Path) -> None:
    """lsp-mode with the docs' init: the dockerls client is chosen over lsp-mode's own;
    flycheck shows the CLI's codes minus the registered dockerls.ignore; eldoc shows the
    hover's first line and lsp-describe-thing-at-point the table; a code action applies."""
    blocks = documented_elisp()
    (lsp_setup,) = blocks["lsp-mode"]
    assert '("dockerls.ignore" ["DKL401"])' in lsp_setup
    dockerfile = workspace / "Dockerfile"
    expected = cli_codes(dockerfile)
    init = "\n".join([*blocks[""], lsp_setup])
    with emacs_session(emacs, tmp_path / "home", init, dockerfile) as session:
        state = wait_diagnostics(
            session,
            dockerfile,
            "flycheck to show the server's diagnostics",
            lambda shown: {d["code"] for d in shown} == expected - {"DKL401"},
        )
        assert state["mode"] == "dockerfile-mode"
        assert state["lsp"] == ["dockerls"]
        assert state["flycheck"] and not state["flymake"]

        # lsp-mode's eldoc shows the hover's first line, its help command all of it.
        hover_text(session, dockerfile, "node:20: Node.js, default")
        session.keys("M-x", "lsp-describe-thing-at-point", "Enter")
        hover = wait_for(
            "*lsp-help* to show the variant table",
            lambda: next(
                (t for t in [emacs_echo(session)["help"]] if "| Default user |" in t), None
            ),
        )
        assert "node:20-slim" in hover

        apply_quick_fix(session, dockerfile, "Add --no-install-recommends")
        wait_diagnostics(
            session,
            dockerfile,
            "DKL101 to go after its fix",
            lambda shown: "DKL101" not in {d["code"] for d in shown},
        )
