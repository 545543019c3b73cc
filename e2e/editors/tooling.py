"""Set-up of the real editors: Debian packages, code-server + playwright-core, the .vsix.

Everything downloaded or built lives under ``<cache>/editors`` (``cache_dir()`` of e2e.engine).
Each step is done once and reused: an apt package already installed is not asked for again, the
npm tree is reinstalled only when ``package-lock.json`` changes, the ``.vsix`` is rebuilt only
when the extension's sources are newer than it. A step that cannot run raises ``SetupFailed``,
whose message is the one-line reason the tests skip with.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from e2e.engine import REPO, cache_dir, run_setup

HERE = Path(__file__).resolve().parent
VSCODE_SOURCES = REPO / "editors" / "vscode"
CHROMIUM = Path("/usr/bin/chromium")
CODE_SERVER_PACKAGES = ("chromium", "libkrb5-dev", "ripgrep")
EMACS_PACKAGES = (
    "emacs-nox",
    "elpa-eglot",
    "elpa-lsp-mode",
    "elpa-flycheck",
    "elpa-dockerfile-mode",
    "tmux",  # the terminal Emacs runs in
)
# @vscode/ripgrep downloads this from GitHub unless it finds it in its cache folder.
RIPGREP_TARBALL = "vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"


SECTION = "Editors and package (e2e/editors)"  # of e2e/RESULTS.md


class SetupFailed(Exception):
    """An editor cannot be set up here; ``str()`` is the one-line reason."""


def editors_cache() -> Path:
    path = cache_dir() / "editors"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _run(
    args: list[str],
    what: str,
    timeout: float,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> None:
    run_setup(args, what, timeout=timeout, cwd=cwd, env=env, error=SetupFailed)


def dockerls_executable() -> Path:
    """The dockerls the editors start: the one installed next to the running Python."""
    found = shutil.which("dockerls", path=str(Path(sys.executable).parent))
    if found is None:
        raise SetupFailed(f"no dockerls next to {sys.executable} (make e2e installs it)")
    return Path(found)


def cli_codes(dockerfile: Path) -> set[str]:
    """The codes `dockerls check` reports at the severities the Problems panel lists."""
    done = subprocess.run(
        [str(dockerls_executable()), "check", "--format", "json", "--severity-threshold", "info",
         str(dockerfile)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    report = json.loads(done.stdout)
    return {finding["code"] for file in report["files"] for finding in file["findings"]}


def path_without_dockerls() -> str:
    """The machine's PATH with every folder that has a `dockerls` left out."""
    return os.pathsep.join(
        folder
        for folder in os.environ.get("PATH", "").split(os.pathsep)
        if folder and not (Path(folder) / "dockerls").exists()
    )


def require_root() -> None:
    if os.geteuid() != 0:
        raise SetupFailed("not root: the editor set-up installs Debian packages with apt-get")


def _missing_packages(packages: tuple[str, ...]) -> list[str]:
    missing = []
    for package in packages:
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package],
            capture_output=True,
            text=True,
            check=False,
        )
        if status.stdout.strip() != "install ok installed":
            missing.append(package)
    return missing


def apt_install(packages: tuple[str, ...]) -> None:
    """Install the missing Debian packages (apt-get update first if the lists are stale)."""
    require_root()
    missing = _missing_packages(packages)
    if not missing:
        return
    if shutil.which("apt-get") is None:
        raise SetupFailed(f"no apt-get to install {' '.join(missing)}")
    install = [
        "apt-get", "install", "-y", "-q", "--no-install-recommends",
        "-o", "DPkg::Lock::Timeout=600", *missing,
    ]  # fmt: skip
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        _run(install, f"apt-get install {' '.join(missing)}", 900, env=env)
    except SetupFailed:
        _run(["apt-get", "update", "-q", "-o", "DPkg::Lock::Timeout=600"], "apt-get update", 600)
        _run(install, f"apt-get install {' '.join(missing)}", 900, env=env)


@dataclass(frozen=True)
class VSCodeTools:
    code_server: Path
    node_modules: Path
    vsix: Path
    chromium: Path
    seconds: float  # how long this run's set-up took


def _npm_tree() -> Path:
    """code-server and playwright-core from e2e/editors/package-lock.json, under the cache."""
    home = editors_cache() / "node"
    lock = HERE / "package-lock.json"
    stamp = home / "node_modules" / ".dockerls-lock"
    code_server = home / "node_modules" / ".bin" / "code-server"
    if stamp.is_file() and stamp.read_bytes() == lock.read_bytes() and code_server.exists():
        return home / "node_modules"
    if shutil.which("npm") is None:
        raise SetupFailed("npm is not installed")
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    shutil.copy2(HERE / "package.json", home / "package.json")
    shutil.copy2(lock, home / "package-lock.json")
    tmp = home / "tmp"
    ripgrep = tmp / RIPGREP_TARBALL
    ripgrep.parent.mkdir(parents=True)
    rg = shutil.which("rg")
    if rg is None:
        raise SetupFailed("ripgrep is not installed (code-server needs its rg)")
    with tarfile.open(ripgrep, "w:gz") as tar:
        tar.add(rg, arcname="rg")
    env = {
        **os.environ,
        "TMPDIR": str(tmp),
        "npm_config_unsafe_perm": "true",  # code-server's install script refuses root otherwise
        "npm_config_yes": "true",  # node-pty's build runs npx node-gyp
        "npm_config_nodedir": "/usr",  # the machine's Node headers: nothing downloaded
    }
    _run(
        ["npm", "ci", "--no-audit", "--no-fund"],
        "npm ci of code-server and playwright-core",
        1200,
        cwd=home,
        env=env,
    )
    if not code_server.exists():
        raise SetupFailed("npm ci ran but installed no code-server")
    stamp.write_bytes(lock.read_bytes())
    return home / "node_modules"


def _tracked_sources() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", "."],
        cwd=VSCODE_SOURCES,
        capture_output=True,
        text=True,
        check=False,
    )
    return [VSCODE_SOURCES / name for name in listed.stdout.split("\0") if name]


def _vsix() -> Path:
    """The packaged extension: `make editors`'s dockerls.vsix when it is fresh, else built here."""
    sources = [path for path in _tracked_sources() if path.is_file()]
    newest = max((path.stat().st_mtime for path in sources), default=0.0)
    made = VSCODE_SOURCES / "dockerls.vsix"
    if made.is_file() and made.stat().st_mtime >= newest:
        return made
    build = editors_cache() / "vsix-build"
    built = build / "dockerls.vsix"
    if built.is_file() and built.stat().st_mtime >= newest:
        return built
    # A copy of the tracked files: the shared working tree is never written to.
    shutil.rmtree(build, ignore_errors=True)
    for path in sources:
        target = build / path.relative_to(VSCODE_SOURCES)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    _run(["npm", "ci", "--no-audit", "--no-fund"], "npm ci of the extension", 900, cwd=build)
    _run(["npm", "run", "package"], "npm run package (the .vsix)", 600, cwd=build)
    return built


def vscode_tools() -> VSCodeTools:
    started = time.monotonic()
    require_root()
    apt_install(CODE_SERVER_PACKAGES)
    if not CHROMIUM.exists():
        raise SetupFailed(f"no Chromium at {CHROMIUM}")
    node_modules = _npm_tree()
    vsix = _vsix()
    return VSCodeTools(
        code_server=node_modules / ".bin" / "code-server",
        node_modules=node_modules,
        vsix=vsix,
        chromium=CHROMIUM,
        seconds=time.monotonic() - started,
    )


@dataclass(frozen=True)
class EmacsTools:
    emacs: Path
    seconds: float


def emacs_tools() -> EmacsTools:
    started = time.monotonic()
    require_root()
    apt_install(EMACS_PACKAGES)
    emacs = shutil.which("emacs")
    if emacs is None:
        raise SetupFailed("emacs-nox installed but no emacs on PATH")
    return EmacsTools(emacs=Path(emacs), seconds=time.monotonic() - started)
