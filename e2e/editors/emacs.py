"""A real, interactive Emacs (``emacs -nw`` in a private tmux server) configured with exactly
the Lisp docs/editors.md gives, asked what it shows through emacsclient."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from e2e.editors.tooling import (
    HERE,
    EmacsTools,
    dockerls_executable,
    editors_cache,
    path_without_dockerls,
)
from e2e.editors.vscode import wait_for
from e2e.engine import REPO

DOCS = REPO / "docs" / "editors.md"
PROBE = HERE / "emacs_probe.el"
FENCE = re.compile(r"^```elisp\n(.*?)^```", re.MULTILINE | re.DOTALL)


def documented_elisp() -> dict[str, list[str]]:
    """The ```elisp blocks of the Emacs section of docs/editors.md, by subsection
    ("" for the ones before the first ### heading: the major-mode set-up)."""
    text = DOCS.read_text(encoding="utf-8")
    start = text.index("\n## Emacs\n")
    end = text.index("\n## ", start + 1)
    blocks: dict[str, list[str]] = {}
    for part in re.split(r"^### ", text[start:end], flags=re.MULTILINE):
        heading = part.split("\n", 1)[0].strip() if not part.startswith("\n## Emacs") else ""
        name = heading.split(" ")[0]
        blocks[name] = FENCE.findall(part)
    return blocks


class Emacs:
    def __init__(self, client: Path, tmux: list[str], socket: Path) -> None:
        self._client = client
        self._tmux = tmux
        self._socket = socket

    def eval(self, expression: str) -> Any:
        """Evaluate in the running Emacs; the probe functions answer a JSON string."""
        done = subprocess.run(
            [str(self._client), "--socket-name", str(self._socket), "--eval", expression],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"emacsclient --eval {expression} failed:\n{done.stderr}")
        # emacsclient prints the value as Lisp: a string in double quotes, \" and \\ escaped.
        return json.loads(json.loads(done.stdout, strict=False), strict=False)

    def ready(self) -> bool:
        done = subprocess.run(
            [str(self._client), "--socket-name", str(self._socket), "--eval", "t"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return done.returncode == 0

    def keys(self, *keys: str) -> None:
        """Type at the terminal, as the user does (tmux send-keys syntax: "C-f", "M-x")."""
        subprocess.run([*self._tmux, "send-keys", "-t", "emacs", *keys], check=True)

    def screen(self) -> str:
        done = subprocess.run(
            [*self._tmux, "capture-pane", "-p", "-t", "emacs"],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def state(self, file: Path) -> dict[str, Any]:
        value: dict[str, Any] = self.eval(f'(dockerls-e2e-state "{file}")')
        return value


@contextlib.contextmanager
def emacs_session(tools: EmacsTools, home: Path, init: str, file: Path) -> Iterator[Emacs]:
    """``emacs -nw FILE`` for a user whose ~/.emacs.d/init.el is ``init`` and who installed
    dockerls with pipx (~/.local/bin on PATH), until the block ends."""
    (home / ".emacs.d").mkdir(parents=True)
    (home / ".emacs.d" / "init.el").write_text(init, encoding="utf-8")
    # Natively compiled packages kept from one session to the next, as in a lasting HOME.
    eln_cache = editors_cache() / "emacs-eln-cache"
    eln_cache.mkdir(exist_ok=True)
    (home / ".emacs.d" / "eln-cache").symlink_to(eln_cache)
    pipx_bin = home / ".local" / "bin"
    pipx_bin.mkdir(parents=True)
    (pipx_bin / "dockerls").symlink_to(dockerls_executable())
    socket = home / "emacs.sock"
    tmux = ["tmux", "-S", str(home / "tmux.sock")]
    environment = {
        "HOME": str(home),
        "PATH": f"{pipx_bin}:{path_without_dockerls()}",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    start_server = f'(progn (setq server-name "{socket}") (server-start))'
    command = [
        "env", "-i", *(f"{key}={value}" for key, value in environment.items()),
        str(tools.emacs), "-nw", "-l", str(PROBE), "--eval", start_server, str(file),
    ]  # fmt: skip
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "emacs", "-x", "160", "-y", "50", *command],
        check=True,
        cwd=file.parent,
    )
    try:
        emacs = Emacs(tools.emacs.with_name("emacsclient"), tmux, socket)
        wait_for("Emacs's server", emacs.ready, 60)
        yield emacs
    finally:
        with contextlib.suppress(subprocess.CalledProcessError, OSError):
            subprocess.run([*tmux, "kill-server"], check=True, timeout=30)
