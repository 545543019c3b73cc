"""The runtime stage's base image and what it needs to run the program: the Debian slim
image of the builder's release, the runtimes that can run one copied program (distroless
and scratch have no shell), the user the runtime runs as and the working directory it owns,
the run-time libraries of the build's ``-dev`` packages, and the base images' sizes. Pure."""

from __future__ import annotations

import re

from dockerls.actions.split.original_stage import has_user, healthcheck, resolve, shell_form
from dockerls.actions.split.plan import Runtime
from dockerls.knowledge.images import ImageInfo
from dockerls.syntax import Stage

# Debian releases by code name and number; the slim image of each.
DEBIAN_RELEASES = {
    "jessie": "8",
    "stretch": "9",
    "buster": "10",
    "bullseye": "11",
    "bookworm": "12",
    "trixie": "13",
}
DEBIAN_SLIM = {name: f"debian:{number}-slim" for name, number in DEBIAN_RELEASES.items()}
NEWEST_DEBIAN = "trixie"
DISTROLESS_SUITES = {"debian12": "bookworm", "debian13": "trixie"}
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def debian_release(info: ImageInfo) -> str | None:
    """The code name of the Debian release ``info`` is built on, from its tag: a suite
    (``buster``, ``-slim-bookworm``) or a Debian image's version (``debian:10``)."""
    if info.suite in DEBIAN_RELEASES:
        return info.suite
    if info.family == "debian":
        number = (info.version or "").split(".")[0]
        return next((name for name, n in DEBIAN_RELEASES.items() if n == number), None)
    return None


def debian_slim(info: ImageInfo, fallback: str = NEWEST_DEBIAN) -> tuple[str, str, list[str]]:
    """(image, release, notes): the Debian slim image of the builder's release (a slim
    Debian builder itself), so that a program compiled there finds the same C library and
    shared libraries; ``fallback``'s with a note when the tag names no release."""
    release = debian_release(info)
    if info.family == "debian" and info.kind == "slim":
        return info.reference, release or fallback, []
    if release is not None:
        return DEBIAN_SLIM[release], release, []
    note = (
        "The builder's Debian release is not in its tag: the runtime is "
        f"{DEBIAN_SLIM[fallback]}; its glibc must be at least as new as the builder's "
        "(name the release in both tags to be sure)."
    )
    return DEBIAN_SLIM[fallback], fallback, [note]


SHELL_LESS = frozenset({"static", "scratch", "distroless"})


def binary_runtimes(stage: Stage, runtimes: list[Runtime]) -> list[Runtime] | str:
    """The runtimes that can run one copied program, each with its user: shell-less
    ones (distroless, scratch) only for exec-form starts without HEALTHCHECK and with a
    USER they have; a Debian slim runtime gets a new user when the original had none."""
    shell = shell_form(stage, "CMD", "ENTRYPOINT", "HEALTHCHECK")
    reason = None
    if shell is not None:
        reason = (
            f"{shell.name} on line {shell.start_line + 1} is in shell form, and a static "
            "runtime (distroless, scratch) has no shell."
        )
    elif healthcheck(stage) is not None:
        reason = "HEALTHCHECK needs a program the static runtime does not have."
    user = has_user(stage)
    name = (user.rest.text if user is not None and user.rest else "").split(":")[0]
    out: list[Runtime] = []
    for rt in runtimes:
        if rt.kind in SHELL_LESS:
            allowed = () if rt.kind == "scratch" else ("root", "nonroot", "nobody")
            if reason is not None:
                continue
            if user is not None and not name.isdigit() and name not in allowed:
                reason = f"USER {name} does not exist in {rt.image}."
                continue
            if user is None:
                rt.user = "65532:65532" if rt.kind == "scratch" else "nonroot"
        elif user is None:
            add_user(rt, rt.info.libc if rt.info is not None else "glibc")
        out.append(rt)
    if not out:
        return reason or "No runtime base fits this container."
    return out


def add_user(rt: Runtime, libc: str) -> None:
    """A non-root user ``app`` created in the runtime (Debian/Ubuntu or Alpine)."""
    # first: the files copied into the working directory are copied --chown=app
    rt.generated.insert(
        0, "RUN adduser -D app" if libc == "musl" else "RUN useradd --create-home app"
    )
    rt.user = "app"


def distroless_user(stage: Stage) -> bool:
    """Whether the stage's USER, if it has one, exists on distroless images: root,
    nonroot or a numeric id (there is no shell to create another)."""
    user = has_user(stage)
    if user is None:
        return True
    name = (user.rest.text if user.rest else "").split(":")[0]
    return name.isdigit() or name in ("root", "nonroot")


def own_workdir(rt: Runtime, wd: str | None) -> tuple[bool, str]:
    """Make the working directory ``wd`` (None: there is none) writable by the user the
    split adds, as the original's root could write there: the files the runtime copies into
    it are copied ``--chown``, and the directory itself is the user's: created by WORKDIR
    after USER on an image without a shell (BuildKit creates it as the current user), or
    ``RUN chown`` after the copies. Returns (USER first, the note saying what changed)."""
    if rt.user is None:
        return False, ""
    name = rt.user.split(":")[0]
    if wd is None:
        return False, (
            f"The runtime runs as {name} (the original ran as root): files it writes at run "
            "time need a directory it owns (COPY --chown, or a volume)."
        )
    inside = wd.rstrip("/") + "/"
    for i, line in enumerate(rt.generated):
        words = line.split(" ")
        copy = len(words) >= 4 and words[0] == "COPY" and words[1].startswith("--from=")
        flags = words[2:-2]  # --exclude=… (Python's asset projects' node_modules)
        copy = copy and all(f.startswith("--exclude=") for f in flags)
        if copy and (resolve(wd, words[-1]) + "/").startswith(inside):
            rt.generated[i] = " ".join(
                ["COPY", words[1], f"--chown={rt.user}", *flags, words[-2], words[-1]]
            )
    info = rt.info
    owner = info is not None and name in (info.default_user, str(info.default_uid))
    first = rt.kind in SHELL_LESS and not owner
    if not first and not owner:
        rt.generated.append(f"RUN chown {rt.user} {wd}")
    how = (
        "the image's own user"
        if owner
        else "USER before WORKDIR"
        if first
        else f"RUN chown {rt.user} {wd}"
    )
    return first, (
        f"The runtime runs as {name} (the original ran as root): the working directory {wd} "
        f"is {name}'s ({how}) and the files copied into it are copied --chown={rt.user}, so "
        "the application can write there as before; elsewhere it needs a directory it owns "
        "(or a volume)."
    )


# -dev package -> the shared library the built extension loads at run time.
RUNTIME_LIBRARY: dict[str, dict[str, str]] = {
    "apt-get": {
        "libpq-dev": "libpq5",
        "default-libmysqlclient-dev": "libmariadb3",
        "libmariadb-dev": "libmariadb3",
        "libmariadb-dev-compat": "libmariadb3",
        "libjpeg-dev": "libjpeg62-turbo",
        "libjpeg62-turbo-dev": "libjpeg62-turbo",
        "libxslt1-dev": "libxslt1.1",
        "libxslt-dev": "libxslt1.1",
        "libgeos-dev": "libgeos-c1v5",
        "libmagic-dev": "libmagic1",
        "libyaml-dev": "libyaml-0-2",
        "libpng-dev": "libpng16-16",
        "libzip-dev": "libzip4",
        "libfreetype-dev": "libfreetype6",
        "libfreetype6-dev": "libfreetype6",
        "libwebp-dev": "libwebp7",
        "libgmp-dev": "libgmp10",
    },
    "apk": {
        "postgresql-dev": "libpq",
        "libpq-dev": "libpq",
        "mariadb-dev": "mariadb-connector-c",
        "mariadb-connector-c-dev": "mariadb-connector-c",
        "jpeg-dev": "libjpeg-turbo",
        "libjpeg-turbo-dev": "libjpeg-turbo",
        "libxml2-dev": "libxml2",
        "libxslt-dev": "libxslt",
        "libffi-dev": "libffi",
        "yaml-dev": "yaml",
        "geos-dev": "geos",
        "libpng-dev": "libpng",
        "libzip-dev": "libzip",
        "freetype-dev": "freetype",
        "libwebp-dev": "libwebp",
        "gmp-dev": "gmp",
        "icu-dev": "icu-libs",
    },
}


# Library packages a later Debian release renamed (the 64-bit time_t transition, new
# sonames); RUNTIME_LIBRARY holds bookworm's names. Checked against the mirror's trixie.
RENAMED = {
    "trixie": {
        "libpng16-16": "libpng16-16t64",
        "libzip4": "libzip5",
        "libmagic1": "libmagic1t64",
        "libgeos-c1v5": "libgeos-c1t64",
    }
}


def for_release(libraries: list[tuple[str, str]], release: str) -> list[tuple[str, str]]:
    """``libraries`` (apt's named as in bookworm) by their names in Debian ``release``."""
    renamed = RENAMED.get(release, {})
    return [(m, renamed.get(n, n) if m == "apt-get" else n) for m, n in libraries]


def named_for_release(info: ImageInfo, libraries: list[tuple[str, str]], advice: str) -> list[str]:
    """Name ``libraries`` (in place) as the image's Debian release does; when the tag names
    no release, as the newest (what current official tags are built on), with a note that
    ends with ``advice``."""
    if info.package_manager != "apt":
        return []
    release = debian_release(info)
    named = for_release(libraries, release or NEWEST_DEBIAN)
    changed = [new for (_, new), (_, old) in zip(named, libraries, strict=True) if new != old]
    libraries[:] = named
    if release is not None or not changed:
        return []
    return [
        f"{info.reference} names no Debian release: the runtime installs {', '.join(changed)} "
        f"as Debian {NEWEST_DEBIAN} names them{advice}"
    ]


def runtime_libraries(
    packages: list[tuple[str, str]], present: frozenset[str] = frozenset()
) -> tuple[list[tuple[str, str]], list[str]]:
    """The run-time libraries of the known ``-dev`` packages among ``packages``, and the
    ``-dev`` packages with no known library (except those in ``present``)."""
    libraries: list[tuple[str, str]] = []
    unknown: list[str] = []
    for manager, name in packages:
        library = RUNTIME_LIBRARY.get(manager, {}).get(name)
        if library is not None and (manager, library) not in libraries:
            libraries.append((manager, library))
        elif re.search(r"-(dev|devel)$", name) and name not in present and name not in unknown:
            unknown.append(name)
    return libraries, unknown


def unknown_libraries(unknown: list[str], needs: str = "the program needs") -> list[str]:
    """The warning naming the ``-dev`` packages whose run-time library is not known."""
    if not unknown:
        return []
    return [
        "Build packages whose run-time libraries the split does not know: "
        f"{', '.join(unknown)}; {needs} those libraries in the runtime."
    ]


def mb(info: ImageInfo | None) -> float | None:
    """The image's uncompressed size in MB (what `docker images` prints), if known."""
    size = None if info is None else info.size("uncompressed")
    return None if size is None else size.mb


def sizes(info: ImageInfo, rt: Runtime) -> tuple[float | None, float | None]:
    """The builder's and the runtime's base image sizes in MB, uncompressed (the unit
    `docker images` prints, used for every size dockerls shows)."""
    return mb(info), mb(rt.info) if rt.kind != "scratch" else 0.0
