"""Regenerate ``dockerls/knowledge/sizes.json.gz``: the facts the size estimator uses.

Run at data-build time only (it reads the Debian package index and the PyPI and npm
registries); the language server and the CLI never touch the network.

    python -m scripts.build_size_data [--work DIR] [--corpus ../shared/corpus] [--no-registries]

What it writes (see docs/size.md):

- ``apt.<release>``: for Debian bookworm and trixie, each package a Dockerfile is likely to
  install and everything it pulls in (Depends, Pre-Depends and Recommends, transitively):
  its ``Installed-Size`` and dependency groups; the virtual packages' providers; the size
  of the index ``apt-get update`` leaves in ``/var/lib/apt/lists``; and the package sets the
  base images already hold, each with where it comes from. The index is read with a private
  apt configuration under ``--work`` (never the machine's own apt state).
- ``pypi`` and ``npm``: installed sizes of well-known packages and of the packages the
  project's e2e fixtures lock, from the registries' metadata.

The seed list of apt packages: what the corpus Dockerfiles install (read, never copied),
dockerls's own package tables (``knowledge/images.json``), buildpack-deps' apt lines and a
short list of packages people commonly install.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import io
import json
import re
import statistics
import subprocess
import sys
import tarfile
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "dockerls" / "knowledge" / "sizes.json.gz"
MIRROR = "http://deb.debian.org/debian"
KEYRING = Path("/usr/share/keyrings/debian-archive-keyring.gpg")
RELEASES = ("bookworm", "trixie")
SCHEMA = 1
PYPI_LIMIT = 200  # packages: the seeds and their requirements
NPM_ABBREVIATED = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"

# docker-library/buildpack-deps: the apt-get install lines of its curl, scm and full layers.
BUILDPACK_CURL = "ca-certificates curl gnupg netbase wget"
BUILDPACK_CURL_TRIXIE = BUILDPACK_CURL + " sq"
BUILDPACK_SCM = "git mercurial openssh-client subversion procps"
BUILDPACK_FULL = (
    "autoconf automake bzip2 default-libmysqlclient-dev dpkg-dev file g++ gcc imagemagick "
    "libbz2-dev libc6-dev libcurl4-openssl-dev libdb-dev libevent-dev libffi-dev libgdbm-dev "
    "libglib2.0-dev libgmp-dev libjpeg-dev libkrb5-dev liblzma-dev libmagickcore-dev "
    "libmagickwand-dev libmaxminddb-dev libncurses-dev libpng-dev libpq-dev libreadline-dev "
    "libsqlite3-dev libssl-dev libtool libwebp-dev libxml2-dev libxslt1-dev libyaml-dev make "
    "patch unzip xz-utils zlib1g-dev"
)
# docker-library/python's slim image: the packages its Dockerfile installs and keeps, plus the
# run-time libraries its interpreter links (found there with ldd, named here by package).
PYTHON_SLIM = (
    "ca-certificates netbase tzdata libbz2-1.0 libffi8 libgdbm6 liblzma5 libncursesw6 "
    "libreadline8 libsqlite3-0 libssl3 libuuid1 zlib1g libexpat1"
)
PYTHON_SLIM_TRIXIE = (
    PYTHON_SLIM.replace("libgdbm6", "libgdbm6t64").replace("libssl3", "libssl3t64")
    + " libreadline8t64"
)
# docker-library/node's slim image keeps only what the node binary links beyond minbase.
NODE_SLIM = "libatomic1"
# Commonly installed packages, so that an estimate has facts for them on any Dockerfile.
COMMON = (
    "build-essential curl wget git ca-certificates gnupg python3 python3-pip python3-venv "
    "python3-dev libpq-dev postgresql-client default-libmysqlclient-dev default-mysql-client "
    "nodejs npm default-jdk default-jdk-headless default-jre-headless openjdk-17-jdk-headless "
    "openjdk-17-jre-headless golang-go imagemagick ffmpeg libvips-dev libgl1 libglib2.0-0 "
    "chromium fonts-liberation tini gosu locales tzdata vim nano jq unzip zip procps "
    "netcat-openbsd iputils-ping supervisor nginx gettext sqlite3 libsqlite3-dev libssl-dev "
    "libffi-dev pkg-config cmake openssh-client rsync less dumb-init libxml2-dev libxslt1-dev "
    "zlib1g-dev libjpeg-dev libpng-dev git-lfs poppler-utils tesseract-ocr ghostscript "
    "libmagic1 libgomp1 gcc g++ make clang libc6-dev graphviz xz-utils bzip2 file patch "
    "python3-setuptools python3-wheel ruby ruby-dev php-cli openssl dnsutils htop "
    "apt-transport-https software-properties-common lsb-release sudo cron"
)
# Well-known PyPI and npm packages (the registries do not publish install counts; these
# are among the most downloaded, plus what the e2e fixtures lock).
PYPI_COMMON = (
    "boto3 botocore urllib3 requests setuptools certifi charset-normalizer idna "
    "typing-extensions python-dateutil packaging s3transfer six numpy pyyaml pip "
    "cryptography cffi pydantic pydantic-core attrs jmespath pandas wheel grpcio protobuf "
    "click jinja2 markupsafe sqlalchemy psycopg2 psycopg2-binary flask django fastapi "
    "uvicorn gunicorn starlette anyio httpx pytz tzdata scipy pillow lxml aiohttp "
    "redis celery pytest matplotlib scikit-learn torch poetry uv"
)
NPM_COMMON = (
    "typescript express react react-dom lodash axios next webpack esbuild vite eslint "
    "prettier @types/node tslib chalk commander debug ms semver uuid dotenv body-parser "
    "moment date-fns zod rxjs @babel/core jest ts-node nodemon pg mysql2 mongoose "
    "sharp bcrypt socket.io ws cors morgan winston yargs glob rimraf"
)


# --------------------------------------------------------------------------- apt


def apt_options(work: Path, release: str) -> list[str]:
    home = work / release
    for sub in ("lists/partial", "cache/archives/partial"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    sources = home / "sources.list"
    signed = f"[signed-by={KEYRING}] " if KEYRING.is_file() else ""
    sources.write_text(f"deb {signed}{MIRROR} {release} main\n")
    return [
        "-q",
        "-o", f"Dir::Etc::sourcelist={sources}",
        "-o", "Dir::Etc::sourceparts=/dev/null",
        "-o", f"Dir::State::Lists={home / 'lists'}",
        "-o", f"Dir::Cache={home / 'cache'}",
        "-o", "Acquire::Languages=none",
        "-o", "APT::Sandbox::User=root",
    ]  # fmt: skip


def stanzas(text: str) -> Iterator[dict[str, str]]:
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith((" ", "\t")) and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        if "Package" in fields:
            yield fields


def groups(field: str) -> list[str]:
    """``a (>= 1), b | c:any`` -> ``["a", "b|c"]`` (versions and architectures dropped)."""
    out = []
    for group in field.split(","):
        names = [re.split(r"[\s(:\[]", alt.strip(), maxsplit=1)[0] for alt in group.split("|")]
        names = [n for n in names if n]
        if names:
            out.append("|".join(names))
    return out


class Index:
    """One release's package index: sizes, dependency groups, providers, priorities."""

    def __init__(self, text: str) -> None:
        self.size: dict[str, int] = {}
        self.depends: dict[str, list[str]] = {}
        self.recommends: dict[str, list[str]] = {}
        self.priority: dict[str, str] = {}
        self.essential: set[str] = set()
        self.providers: dict[str, list[str]] = {}
        for st in stanzas(text):
            name = st["Package"]
            if name in self.size:
                continue
            self.size[name] = int(st.get("Installed-Size", "0") or 0)
            self.depends[name] = groups(st.get("Pre-Depends", "")) + groups(st.get("Depends", ""))
            self.recommends[name] = groups(st.get("Recommends", ""))
            self.priority[name] = st.get("Priority", "optional")
            if st.get("Essential") == "yes":
                self.essential.add(name)
            for virtual in groups(st.get("Provides", "")):
                self.providers.setdefault(virtual, []).append(name)

    def real(self, name: str, have: set[str] | None = None) -> str | None:
        """The package itself, or the provider of a virtual one: one already present, else
        one of Priority required (``awk`` is mawk), else the first by name."""
        if name in self.size:
            return name
        found = sorted(self.providers.get(name, ()))
        present = [p for p in found if p in (have or ())]
        required = [p for p in found if self.priority.get(p) == "required"]
        return next(iter(present + required + found), None)

    def choose(self, group: str, have: set[str]) -> str | None:
        alternatives = [self.real(a, have) for a in group.split("|")]
        present = [a for a in alternatives if a is not None]
        return next((a for a in present if a in have), present[0] if present else None)

    def closure(self, seeds: Iterable[str], *, recommends: bool, have: set[str]) -> set[str]:
        seen: set[str] = set()
        todo = [r for r in (self.real(s) for s in seeds) if r is not None]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            deps = self.depends[name] + (self.recommends[name] if recommends else [])
            for group in deps:
                chosen = self.choose(group, have | seen)
                if chosen is not None and chosen not in seen:
                    todo.append(chosen)
        return seen


def read_index(work: Path, release: str) -> tuple[Index, dict[str, object]]:
    options = apt_options(work, release)
    subprocess.run(["apt-get", *options, "update"], check=True, capture_output=True)
    dump = subprocess.run(
        ["apt-cache", *options, "dumpavail"], check=True, capture_output=True, text=True
    ).stdout
    lists = work / release / "lists"
    release_file = next(lists.glob("*_InRelease"))
    date = next(
        (ln.split(":", 1)[1].strip() for ln in release_file.read_text().splitlines()
         if ln.startswith("Date:")),
        "",
    )  # fmt: skip
    compressed = sum(p.stat().st_size for p in lists.glob("*Packages*"))
    meta: dict[str, object] = {
        "index": f"{MIRROR} {release} main, binary-amd64",
        "index_date": date,
        # apt-get update leaves the index in /var/lib/apt/lists: uncompressed by default, kept
        # compressed where Acquire::GzipIndexes is set (the official images' docker-gzip-indexes).
        "lists_bytes": {
            "uncompressed": len(dump.encode()) + release_file.stat().st_size,
            "compressed": compressed + release_file.stat().st_size,
        },
    }
    return Index(dump), meta


def minbase(index: Index) -> set[str]:
    """What ``debootstrap --variant=minbase`` installs: Priority required, and apt (and
    usr-is-merged, which debootstrap picks over usrmerge as it merges /usr itself)."""
    seeds = [n for n, p in index.priority.items() if p == "required"] + ["apt"]
    seeds += [n for n in ("usr-is-merged",) if n in index.size]
    return index.closure(seeds, recommends=False, have=set(seeds))


def corpus_packages(corpus: Path | None) -> set[str]:
    if corpus is None or not corpus.is_dir():
        return set()
    sys.path.insert(0, str(REPO))
    from dockerls.rules.package_managers import PACKAGE_INSTALLS, package_name
    from dockerls.shell import script_of
    from dockerls.syntax import parse

    found: set[str] = set()
    for path in sorted(corpus.iterdir()):
        if not path.is_file():
            continue
        doc = parse(path.read_text(encoding="utf-8", errors="replace"))
        for ins in doc.instructions:
            if ins.name != "RUN":
                continue
            for cmd in script_of(ins).commands:
                if cmd.name not in ("apt-get", "apt"):
                    continue
                sub = cmd.subcommand()
                if sub is None or sub.text not in PACKAGE_INSTALLS.get(cmd.name, ()):
                    continue
                for word in cmd.positionals()[1:]:
                    if not word.dynamic and re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", word.text):
                        found.add(package_name(word.text))
    return found


def table_packages() -> set[str]:
    data = json.loads((REPO / "dockerls" / "knowledge" / "images.json").read_text())
    build = data["packages"]["build"]
    runtime = data["packages"]["runtime"]
    return set(build["any"]) | set(build["apt"]) | set(runtime["names"])


def apt_release(work: Path, release: str, seeds: set[str]) -> dict[str, object]:
    index, meta = read_index(work, release)
    base = minbase(index)
    curl = BUILDPACK_CURL_TRIXIE if release == "trixie" else BUILDPACK_CURL
    buildpack_seeds = f"{curl} {BUILDPACK_SCM} {BUILDPACK_FULL}".split()
    buildpack = base | index.closure(buildpack_seeds, recommends=False, have=base)
    py = PYTHON_SLIM_TRIXIE if release == "trixie" else PYTHON_SLIM
    python_slim = base | index.closure(py.split(), recommends=False, have=base)
    node_slim = base | index.closure(NODE_SLIM.split(), recommends=False, have=base)
    wanted = seeds | set(buildpack_seeds)
    reach = index.closure(wanted, recommends=True, have=set())
    keep = reach | buildpack | python_slim | node_slim
    packages = {
        name: [index.size[name], index.depends[name], index.recommends[name]]
        for name in sorted(keep)
    }
    # every provider the data holds, the one apt would pick first
    virtuals = {
        v: [first, *sorted(p for p in providers if p in keep and p != first)]
        for v, providers in sorted(index.providers.items())
        if v not in index.size
        and (first := index.real(v, keep)) is not None
        and any(p in keep for p in providers)
    }
    sets = {
        "debian-slim": {
            "source": "computed from the index as debootstrap --variant=minbase does "
            "(Priority: required, and apt, with their dependencies); the official slim image "
            "is made with debuerreotype from the same set",
            "packages": sorted(base),
        },
        "buildpack-deps": {
            "source": "debian-slim plus the apt-get install lines of docker-library/"
            "buildpack-deps (curl, scm and full layers, --no-install-recommends), closed "
            "over Depends in this index",
            "packages": sorted(buildpack),
        },
        "python-slim": {
            "source": "debian-slim plus the packages docker-library/python's slim Dockerfile "
            "installs and keeps (ca-certificates, netbase, tzdata) and, approximated here by "
            "name, the run-time libraries a CPython build links (bz2, ffi, gdbm, lzma, "
            "ncurses, readline, sqlite, ssl, uuid, zlib, expat); the real image finds them "
            "with ldd",
            "packages": sorted(python_slim),
        },
        "node-slim": {
            "source": "debian-slim plus the one library docker-library/node's slim Dockerfile "
            "keeps (libatomic1); its other apt packages are purged in the same RUN",
            "packages": sorted(node_slim),
        },
    }
    print(f"{release}: {len(packages)} packages, minbase {len(base)}", file=sys.stderr)
    return {**meta, "packages": packages, "provides": virtuals, "sets": sets}


# --------------------------------------------------------------------------- registries


def _get_json(url: str) -> object:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        data: bytes = response.read()
        return data


def _content_length(url: str) -> int | None:
    request = urllib.request.Request(url, method="HEAD")
    with urllib.request.urlopen(request, timeout=30) as response:
        length = response.headers.get("Content-Length")
        return int(length) if length else None


def _packument_bytes(name: str) -> int | None:
    """The size of the metadata document ``npm install`` fetches and caches for a package
    (the abbreviated packument), or None."""
    url = f"https://registry.npmjs.org/{name.replace('/', '%2f')}"
    request = urllib.request.Request(url, headers={"Accept": NPM_ABBREVIATED})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return len(response.read())
    except OSError as error:
        print(f"npm {name} metadata: {error}", file=sys.stderr)
        return None


def _wheel_unpacked(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        return sum(info.file_size for info in wheel.infolist())


def _tarball_unpacked(data: bytes) -> int:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return sum(member.size for member in tar.getmembers() if member.isfile())


def _factor(samples: list[tuple[str, int]], unpacked: Callable[[bytes], int]) -> float:
    """Median unpacked/packed ratio over a few downloaded archives (url, packed bytes)."""
    ratios = []
    for url, packed in samples:
        try:
            ratios.append(unpacked(_download(url)) / packed)
        except (OSError, ValueError, zipfile.BadZipFile, tarfile.TarError) as error:
            print(f"{url}: {error}", file=sys.stderr)
    return round(statistics.median(ratios), 2) if ratios else 1.0


def _wheel_rank(filename: str) -> int:
    """Prefer the wheel a CPython 3.11-3.13 image installs: its own tag, then abi3, then pure."""
    for rank, tag in enumerate(("-cp313-cp313-", "-cp312-cp312-", "-cp311-cp311-", "-abi3-")):
        if tag in filename:
            return rank
    return 4 if "none-any" in filename else 5


def _requirements(requires_dist: list[str] | None) -> list[str]:
    """The names a Linux install pulls in: no extras, no Windows- or macOS-only ones."""
    found = []
    for spec in requires_dist or ():
        requirement, _, marker = spec.partition(";")
        if "extra ==" in marker or "win32" in marker or "darwin" in marker:
            continue
        name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
        if name is not None:
            found.append(re.sub(r"[-_.]+", "-", name.group(1)).lower())
    return sorted(set(found))


def pypi_sizes(names: Iterable[str]) -> tuple[dict[str, dict[str, object]], float]:
    """Each package's newest manylinux x86_64 or pure wheel (bytes, version) and what it
    requires on Linux, for ``names`` and their requirements (at most ``PYPI_LIMIT``
    packages); and the median unpack factor of a sample of the wheels."""
    out: dict[str, dict[str, object]] = {}
    urls: list[tuple[str, int]] = []
    todo = sorted({re.sub(r"[-_.]+", "-", n).lower() for n in names})
    seen: set[str] = set(todo)
    while todo and len(out) < PYPI_LIMIT:
        name = todo.pop(0)
        url = f"https://pypi.org/pypi/{name}/json"
        try:
            data = _get_json(url)
        except (OSError, ValueError) as error:
            print(f"pypi {name}: {error}", file=sys.stderr)
            continue
        assert isinstance(data, dict)
        wheels = [
            u for u in data.get("urls", [])
            if u["filename"].endswith(".whl")
            and ("none-any" in u["filename"] or "manylinux" in u["filename"])
            and ("x86_64" in u["filename"] or "none-any" in u["filename"])
        ]  # fmt: skip
        requires = _requirements(data["info"].get("requires_dist"))
        for dep in requires:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
        if not wheels:  # built from its sdist: its size is unknown, its requirements are not
            out[name] = {"version": data["info"]["version"], "requires": requires}
            continue
        wheel = min(wheels, key=lambda u: _wheel_rank(u["filename"]))
        out[name] = {
            "version": data["info"]["version"],
            "wheel_bytes": wheel["size"],
            "requires": requires,
        }
        urls.append((urllib.parse.urljoin(url, wheel["url"]), wheel["size"]))
    sample = [u for u in urls if u[1] < 20_000_000][::4][:12]
    return out, _factor(sample, _wheel_unpacked)


def npm_sizes(
    names: Iterable[str], locked: dict[str, tuple[str, str]]
) -> tuple[dict[str, dict[str, object]], float]:
    """Each package's packed size (the tarball's Content-Length: this registry's metadata has
    no dist.unpackedSize) for the latest version, or the locked one; and the median unpack
    factor of a sample of tarballs."""
    out: dict[str, dict[str, object]] = {}
    urls: list[tuple[str, int]] = []
    wanted = {n: ("latest", "") for n in names} | locked
    for name, (pinned, resolved) in sorted(wanted.items()):
        version, tarball = pinned, resolved
        try:
            if not tarball:
                data = _get_json(f"https://registry.npmjs.org/{name.replace('/', '%2f')}/latest")
                assert isinstance(data, dict)
                version, tarball = data["version"], data["dist"]["tarball"]
            packed = _content_length(tarball)
        except (OSError, ValueError, KeyError) as error:
            print(f"npm {name}: {error}", file=sys.stderr)
            continue
        if packed:
            out[name] = {"version": version, "packed_bytes": packed}
            urls.append((tarball, packed))
            metadata = _packument_bytes(name)
            if metadata:
                out[name]["packument_bytes"] = metadata
    sample = [u for u in urls if u[1] < 20_000_000][::4][:12]
    return out, _factor(sample, _tarball_unpacked)


def fixture_packages() -> tuple[set[str], dict[str, tuple[str, str]]]:
    """The PyPI and npm packages the e2e fixtures lock (so calibration has their facts)."""
    pypi: set[str] = set()
    npm: dict[str, tuple[str, str]] = {}
    fixtures = REPO / "e2e" / "fixtures"
    for lock in fixtures.glob("*/package-lock.json"):
        data = json.loads(lock.read_text())
        for key, entry in data.get("packages", {}).items():
            if not key.startswith("node_modules/") or "version" not in entry:
                continue
            name = key.rsplit("node_modules/", 1)[1]
            tarball = f"{name.rsplit('/', 1)[-1]}-{entry['version']}.tgz"
            url = entry.get("resolved") or f"https://registry.npmjs.org/{name}/-/{tarball}"
            npm[name] = (entry["version"], url)
    for req in fixtures.glob("*/requirements*.txt"):
        for line in req.read_text().splitlines():
            name = re.split(r"[=<>~\[; ]", line.strip(), maxsplit=1)[0]
            if name and not name.startswith(("#", "-")):
                pypi.add(name.lower())
    for lock in [*fixtures.glob("*/poetry.lock"), *fixtures.glob("*/uv.lock")]:
        pypi.update(re.findall(r'^name = "([^"]+)"', lock.read_text(), flags=re.M))
    return pypi, npm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path.home() / ".cache" / "dockerls-size")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--no-registries", action="store_true")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    today = datetime.date.today().isoformat()
    from_corpus = corpus_packages(args.corpus)
    seeds = from_corpus | table_packages() | set(COMMON.split())
    apt = {release: apt_release(args.work, release, seeds) for release in RELEASES}
    previous = _previous(args.out)
    fix_pypi, fix_npm = fixture_packages()
    if args.no_registries:
        pypi, npm = previous.get("pypi", {}), previous.get("npm", {})
    else:
        wheels, wheel_factor = pypi_sizes(set(PYPI_COMMON.split()) | fix_pypi)
        tarballs, tar_factor = npm_sizes(NPM_COMMON.split(), fix_npm)
        pypi = {
            "date": today,
            "source": "PyPI JSON API (pypi.org/pypi/<name>/json): the newest release's "
            "manylinux x86_64 or pure wheel and its Linux requirements (no extras); "
            "installed ≈ wheel x unpack_factor, the median ratio of a sample of those wheels "
            "unpacked at data-build time",
            "unpack_factor": wheel_factor,
            "typical_wheel_bytes": _median(wheels, "wheel_bytes"),
            "packages": wheels,
        }
        npm = {
            "date": today,
            "source": "npm registry: the tarball's size (HEAD Content-Length; this "
            "registry's metadata carries no dist.unpackedSize) of the latest or the locked "
            "version; installed ≈ packed x unpack_factor, the median ratio of a sample of "
            "those tarballs unpacked at data-build time; packument_bytes: the abbreviated "
            "metadata document npm install fetches and keeps in its cache",
            "unpack_factor": tar_factor,
            "typical_packed_bytes": _median(tarballs, "packed_bytes"),
            "typical_packument_bytes": _median(
                {n: p for n, p in tarballs.items() if "packument_bytes" in p}, "packument_bytes"
            ),
            "packages": tarballs,
        }
    data = {
        "schema": SCHEMA,
        "generated": today,
        "arch": "linux/amd64",
        "generator": "scripts/build_size_data.py",
        "seeds": {
            "corpus_apt_packages": len(from_corpus),
            "note": "corpus Dockerfiles' apt installs, images.json's package tables, "
            "buildpack-deps' apt lines and a list of common packages",
        },
        "apt": apt,
        "pypi": pypi,
        "npm": npm,
    }
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    args.out.write_bytes(gzip.compress(raw, mtime=0))
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)", file=sys.stderr)
    return 0


def _median(packages: dict[str, dict[str, object]], key: str) -> int:
    return int(statistics.median(int(str(p[key])) for p in packages.values() if key in p))


def _previous(path: Path) -> dict[str, dict[str, object]]:
    try:
        loaded = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


if __name__ == "__main__":
    sys.exit(main())
