"""The Docker engine the real-build tests use, set up from Debian's packages and kept to itself.

Debian sid's ``docker.io``, ``docker-cli``, ``docker-buildx`` and ``containerd`` (Docker 28 with
BuildKit's build checks) are downloaded with a private apt configuration and unpacked into the
cache folder, never installed system-wide. ``dockerd`` runs on its own socket, data root and
containerd namespace, and is stopped by the pid in its pidfile. The ``docker`` client used is
always the unpacked one with ``DOCKER_HOST`` pointing at that socket: a client or daemon that
happens to be on the machine is never touched.

    python -m e2e.engine up        # set up (once, cached) and start; idempotent
    python -m e2e.engine env       # export lines: eval "$(python -m e2e.engine env)"
    python -m e2e.engine status
    python -m e2e.engine down
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

RELEASE = "sid"
PACKAGES = ("docker.io", "docker-cli", "docker-buildx", "containerd")
KEYRING = Path("/usr/share/keyrings/debian-archive-keyring.gpg")
DEFAULT_MIRROR = "http://deb.debian.org/debian"
NAMESPACE = "dockerls-e2e"
START_SECONDS = 60.0
STOP_SECONDS = 30.0


class EngineUnavailable(Exception):
    """The engine cannot be set up or started here; ``str()`` is a one-line reason."""


def cache_dir() -> Path:
    """Where the e2e suite keeps what it downloads and makes (``$DOCKERLS_E2E_CACHE``)."""
    configured = os.environ.get("DOCKERLS_E2E_CACHE")
    return Path(configured).resolve() if configured else REPO / ".e2e-cache"


def debian_mirror() -> str:
    """The Debian mirror the machine's own apt sources name (one-line or deb822 format)."""
    sources = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
    for path in sources:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            match = re.match(r"(?:deb\s+(?:\[[^\]]*\]\s+)?|URIs:\s*)(\S+)", line)
            if match and "security" not in match.group(1) and "/debian" in match.group(1):
                return match.group(1).rstrip("/")
    return DEFAULT_MIRROR


def run_setup(
    args: list[str],
    what: str,
    *,
    timeout: float,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    error: type[Exception] = EngineUnavailable,
) -> str:
    """Run a set-up command and return its output; a failure raises ``error`` with one line
    saying what failed and the command's last line of output (the suite's skip reasons)."""
    try:
        done = subprocess.run(
            args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as failure:
        raise error(f"{what}: {failure}") from failure
    if done.returncode != 0:
        tail = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        raise error(f"{what} exited {done.returncode}: {tail[-1] if tail else 'no output'}")
    return done.stdout


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (several test processes may set up at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Engine:
    """A dockerd of our own: its files live under ``<cache>/engine``."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.root = home / "root"
        self.run_dir = home / "run"
        self.data = home / "data"
        self.config = home / "cfg"
        self.socket = self.run_dir / "docker.sock"
        self.pidfile = self.run_dir / "dockerd.pid"
        self.log = home / "dockerd.log"
        # containerd's sockets live under the exec root: keep its path short whatever the clone's.
        digest = hashlib.sha256(str(home).encode()).hexdigest()[:10]
        self.exec_root = Path("/run") / f"dockerls-e2e-{digest}"

    @classmethod
    def ensure(cls) -> Engine:
        """The engine, set up and started if needed (idempotent, safe across processes)."""
        if os.geteuid() != 0:
            raise EngineUnavailable("the real-build tests need root (dockerd, overlay mounts)")
        engine = cls(cache_dir() / "engine")
        with locked(engine.home / ".lock"):
            engine._install()
            if not engine.running():
                engine._start()
        return engine

    @property
    def client(self) -> Path:
        return self.root / "usr" / "bin" / "docker"

    @property
    def env(self) -> dict[str, str]:
        """The environment for a ``docker`` subprocess talking to this engine only."""
        env = dict(os.environ)
        path = f"{self.root / 'usr' / 'bin'}:{self.root / 'usr' / 'sbin'}:{env.get('PATH', '')}"
        env.update(
            PATH=path,
            DOCKER_HOST=f"unix://{self.socket}",
            DOCKER_CONFIG=str(self.config),
            DOCKER_BUILDKIT="1",
            BUILDX_NO_DEFAULT_ATTESTATIONS="1",
        )
        env.pop("DOCKER_CONTEXT", None)
        return env

    def docker(
        self, *args: str, check: bool = True, capture: bool = True, timeout: float = 900.0
    ) -> subprocess.CompletedProcess[str]:
        """Run the unpacked client against this engine."""
        done = subprocess.run(
            [str(self.client), *args],
            env=self.env,
            capture_output=capture,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise subprocess.CalledProcessError(
                done.returncode, ["docker", *args], done.stdout, done.stderr
            )
        return done

    # -- set-up -------------------------------------------------------------------------------

    def _install(self) -> None:
        stamp = self.home / "installed"
        wanted = f"{RELEASE} {' '.join(PACKAGES)}\n"
        if not (stamp.is_file() and stamp.read_text() == wanted and self.client.is_file()):
            self._download_and_unpack()
            stamp.write_text(wanted)
        plugins = self.config / "cli-plugins"
        plugins.mkdir(parents=True, exist_ok=True)
        buildx = plugins / "docker-buildx"
        target = self.root / "usr" / "libexec" / "docker" / "cli-plugins" / "docker-buildx"
        if not buildx.is_symlink() or buildx.readlink() != target:
            # Also when the cache folder moved: the old link dangles.
            buildx.unlink(missing_ok=True)
            buildx.symlink_to(target)
        if shutil.which("runc") is None:
            # Debian sid's runc needs a newer glibc; the machine's own release's runc works.
            run_setup(
                ["apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=600", "runc"],
                "apt-get install runc",
                timeout=600,
            )

    def _download_and_unpack(self) -> None:
        apt = self.home / "apt"
        for sub in ("lists/partial", "cache/archives/partial", "debs"):
            (apt / sub).mkdir(parents=True, exist_ok=True)
        sources = apt / "sources.list"
        keyring = f"[signed-by={KEYRING}] " if KEYRING.is_file() else ""
        sources.write_text(f"deb {keyring}{debian_mirror()} {RELEASE} main\n")
        options = [
            "-q",
            "-o", f"Dir::Etc::sourcelist={sources}",
            "-o", "Dir::Etc::sourceparts=/dev/null",
            "-o", f"Dir::State::Lists={apt / 'lists'}",
            "-o", f"Dir::Cache={apt / 'cache'}",
            "-o", "APT::Sandbox::User=root",
        ]  # fmt: skip
        run_setup(["apt-get", *options, "update"], "apt-get update (sid)", timeout=600)
        debs = apt / "debs"
        for old in debs.glob("*.deb"):
            old.unlink()
        done = subprocess.run(
            ["apt-get", *options, "download", *PACKAGES],
            cwd=debs, capture_output=True, text=True, timeout=900, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise EngineUnavailable(
                f"apt-get download {' '.join(PACKAGES)} failed: "
                f"{done.stderr.strip().splitlines()[-1:]}"
            )
        staging = self.home / "root.new"
        shutil.rmtree(staging, ignore_errors=True)
        for deb in sorted(debs.glob("*.deb")):
            run_setup(
                ["dpkg-deb", "-x", str(deb), str(staging)], f"dpkg-deb -x {deb.name}", timeout=300
            )
        shutil.rmtree(self.root, ignore_errors=True)
        staging.rename(self.root)

    # -- running ------------------------------------------------------------------------------

    def pid(self) -> int | None:
        """The running dockerd's pid, from its pidfile, or None."""
        try:
            pid = int(self.pidfile.read_text().strip())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return None
        return pid

    def answers(self) -> bool:
        if not self.socket.exists():
            return False
        try:
            done = self.docker(
                "version", "--format", "{{.Server.Version}}", check=False, timeout=20
            )
        except subprocess.TimeoutExpired:
            return False
        return done.returncode == 0

    def running(self) -> bool:
        return self.pid() is not None and self.answers()

    def _start(self) -> None:
        if (stale := self.pid()) is not None:  # a dockerd that no longer answers
            self._terminate(stale)
        for folder in (self.run_dir, self.data, self.exec_root):
            folder.mkdir(parents=True, exist_ok=True)
        command = [
            str(self.root / "usr" / "sbin" / "dockerd"),
            "--host", f"unix://{self.socket}",
            "--data-root", str(self.data),
            "--exec-root", str(self.exec_root),
            "--pidfile", str(self.pidfile),
            "--iptables=false", "--ip6tables=false", "--bridge=none",
            "--storage-driver", "overlay2",
            "--containerd-namespace", NAMESPACE,
            "--containerd-plugins-namespace", f"{NAMESPACE}-plugins",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise EngineUnavailable(f"dockerd exited {process.returncode}: {self._log_tail()}")
            if self.answers():
                return
            time.sleep(0.2)  # polling the socket for the daemon's readiness, with a deadline
        self._terminate(process.pid)
        raise EngineUnavailable(
            f"dockerd did not answer in {START_SECONDS:.0f} s: {self._log_tail()}"
        )

    def _log_tail(self) -> str:
        try:
            lines = self.log.read_text(errors="replace").strip().splitlines()
        except OSError:
            return "no log"
        return lines[-1] if lines else "no log"

    @staticmethod
    def _terminate(pid: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)  # waiting for the process to exit, with a deadline
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        """Stop dockerd by its pidfile (nothing else is ever signalled)."""
        if (pid := self.pid()) is not None:
            self._terminate(pid)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "status"
    engine = Engine(cache_dir() / "engine")
    try:
        if command == "up":
            engine = Engine.ensure()
            print(f"dockerd {engine.pid()} on {engine.socket}")
        elif command == "env":
            engine = Engine.ensure()
            env = engine.env
            for key in ("PATH", "DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_BUILDKIT"):
                print(f"export {key}='{env[key]}'")
        elif command == "down":
            engine.stop()
        elif command == "status":
            print(f"running, pid {engine.pid()}" if engine.running() else "not running")
        else:
            print(
                f"usage: python -m e2e.engine up|env|status|down (not {command!r})", file=sys.stderr
            )
            return 2
    except EngineUnavailable as reason:
        print(f"engine unavailable: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
