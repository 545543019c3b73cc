"""Hover documentation as data: instructions, flags, ``--mount`` types and keys,
parser directives, BuildKit's predefined build arguments and dockerls pragmas.

Written for dockerls in its own words; the facts follow Docker's Dockerfile
reference, to which every entry links. Text is in the Markdown subset that
``render.to_plain`` understands (inline code, ``**bold**``), so one source
serves both Markdown and plain-text clients.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AUTOMATIC_ANCHOR",
    "AUTOMATIC_ARGS",
    "AUTOMATIC_NOTE",
    "BUILTIN_ANCHOR",
    "BUILTIN_ARGS",
    "DIRECTIVES",
    "FLAGS",
    "HEALTHCHECK_WORDS",
    "HEREDOC",
    "INSTRUCTIONS",
    "MOUNT_KEYS",
    "MOUNT_TYPES",
    "PRAGMAS",
    "PROXY_ANCHOR",
    "PROXY_ARGS",
    "PROXY_NOTE",
    "REFERENCE",
    "Doc",
    "reference_url",
]

REFERENCE = "https://docs.docker.com/reference/dockerfile/"


def reference_url(anchor: str) -> str:
    return f"{REFERENCE}#{anchor}" if anchor else REFERENCE


@dataclass(frozen=True, slots=True)
class Doc:
    """One hover entry."""

    title: str  # "RUN", "COPY --link", "--mount type=cache"
    text: str  # what it does (Markdown subset)
    syntax: str = ""  # a one-line synopsis, shown as code
    impact: str = ""  # what it means for image size and the build cache
    anchor: str = ""  # fragment of the Dockerfile reference page
    url: str = ""  # when the page is not the Dockerfile reference

    @property
    def link(self) -> str:
        return self.url or reference_url(self.anchor)


# --------------------------------------------------------------------------- instructions

INSTRUCTIONS: dict[str, Doc] = {
    "FROM": Doc(
        "FROM",
        "Starts a build stage on a base image (or on an earlier stage, by its name). "
        "`AS name` names the stage for later `FROM name`, `COPY --from=name` and "
        "`RUN --mount=from=name`. Only `ARG`s declared before the first `FROM` can be "
        "used in the image reference.",
        "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]",
        "The base image of the final stage is shipped whole: it usually decides most of "
        "the image size. Build-only stages cost build time, not image size.",
        "from",
    ),
    "RUN": Doc(
        "RUN",
        "Executes a command while building and commits the changed files as a new layer. "
        "Shell form runs under the `SHELL` (`/bin/sh -c` by default); exec form "
        '(`["cmd", "arg"]`) runs the program directly, without variable expansion.',
        "RUN [--mount=…] [--network=…] [--security=…] <command>",
        "Files deleted by a later `RUN` still weigh in the earlier layer: install, use "
        "and clean up in the same `RUN`. The step is cached by its text; it reruns when "
        "the text, an earlier step, or a file copied before it changes.",
        "run",
    ),
    "CMD": Doc(
        "CMD",
        "The default command (or the default arguments of `ENTRYPOINT`) when a "
        "container starts. Only the last `CMD` counts; `docker run <image> args` "
        "replaces it. Nothing runs at build time.",
        'CMD ["executable", "arg"]  |  CMD command arg',
        "Prefer the exec form: in shell form `/bin/sh -c` is PID 1 and does not forward "
        "SIGTERM, and images without a shell (distroless, scratch) cannot run it.",
        "cmd",
    ),
    "LABEL": Doc(
        "LABEL",
        "Adds key=value metadata to the image config (for example the "
        "`org.opencontainers.image.*` keys). Labels of the base image are inherited.",
        'LABEL <key>="<value>" …',
        "Metadata only: no files, no size. A value that changes on every build (a date, "
        "a commit) invalidates the cache for every step after it, so put such labels last.",
        "label",
    ),
    "MAINTAINER": Doc(
        "MAINTAINER (deprecated)",
        "Sets the image's author field. Deprecated: use "
        '`LABEL org.opencontainers.image.authors="…"` instead.',
        "MAINTAINER <name>",
        "",
        "maintainer-deprecated",
    ),
    "EXPOSE": Doc(
        "EXPOSE",
        "Documents the ports the application listens on (`80`, `53/udp`). It does not "
        "publish anything: `docker run -p` or `-P` does.",
        "EXPOSE <port>[/tcp|/udp] …",
        "Metadata only.",
        "expose",
    ),
    "ENV": Doc(
        "ENV",
        "Sets environment variables for the following instructions of this stage, for "
        "stages built on it, and for the running container. Later steps can use them as "
        "`$NAME`; an `ENV` overrides an `ARG` of the same name.",
        "ENV <key>=<value> …",
        "The value is stored in the image config and visible to anyone with the image: "
        "never put secrets here. Changing a value invalidates the cache from this step on.",
        "env",
    ),
    "ADD": Doc(
        "ADD",
        "Copies files into the image like `COPY`, and can also download a URL, clone a "
        "Git repository, and unpack local tar archives.",
        "ADD [--checksum=…] [--chown=…] [--chmod=…] [--link] [--unpack] <src>… <dest>",
        "Prefer `COPY` for local files. For downloads, `--checksum` makes the step "
        "verifiable and reproducible; an archive fetched with `ADD` and unpacked by a "
        "later `RUN` stays in the image twice.",
        "add",
    ),
    "COPY": Doc(
        "COPY",
        "Copies files from the build context, from an earlier stage or from an image "
        "(`--from`) into the image.",
        "COPY [--from=…] [--chown=…] [--chmod=…] [--link] [--parents] [--exclude=…] <src>… <dest>",
        "The cache key is the content of the copied files: copy dependency manifests "
        "(lockfiles) before the sources so a code change does not rerun the dependency "
        "install. `COPY . .` also sends everything not excluded by `.dockerignore`.",
        "copy",
    ),
    "ENTRYPOINT": Doc(
        "ENTRYPOINT",
        "The program the container always runs; `CMD` (or `docker run` arguments) are "
        "appended to it in exec form. Only the last `ENTRYPOINT` counts.",
        'ENTRYPOINT ["executable", "arg"]',
        "Use the exec form: the shell form ignores `CMD`, and its `/bin/sh -c` does not "
        "forward stop signals to your program.",
        "entrypoint",
    ),
    "VOLUME": Doc(
        "VOLUME",
        "Marks a path as a mount point: each container gets an anonymous volume there, "
        "initialised from the image's content.",
        'VOLUME ["/data"]',
        "Data written there at run time bypasses the image layers. With the classic "
        "builder, later build steps that change the path are discarded; BuildKit keeps "
        "them.",
        "volume",
    ),
    "USER": Doc(
        "USER",
        "Sets the user (and optionally group) for the following `RUN` steps and for the "
        "running container. The user must exist in the image unless it is numeric.",
        "USER <user>[:<group>]  |  USER <uid>[:<gid>]",
        "Running the final image as a non-root user limits what a compromised process "
        "can do; many images ship one (`node`, `nonroot`, `app`).",
        "user",
    ),
    "WORKDIR": Doc(
        "WORKDIR",
        "Sets the working directory for the following `RUN`, `CMD`, `ENTRYPOINT`, "
        "`COPY` and `ADD`, creating it if needed. A relative path builds on the previous "
        "`WORKDIR`.",
        "WORKDIR /path",
        "Prefer it to `RUN cd …`, which lasts only for that one `RUN`.",
        "workdir",
    ),
    "ARG": Doc(
        "ARG",
        "Declares a build argument, set with `docker build --build-arg NAME=value` or "
        "falling back to its default. Before the first `FROM` it is global and usable in "
        "`FROM` lines only; inside a stage it is visible from its line on, and to stages "
        "built on this one. To use a global `ARG` in a stage, redeclare it there without "
        "a value.",
        "ARG <name>[=<default>] …",
        "Not stored in the image config, but visible in `docker history` and provenance: "
        "not for secrets (use `RUN --mount=type=secret`). A changed value invalidates "
        "the cache at its first use.",
        "arg",
    ),
    "ONBUILD": Doc(
        "ONBUILD",
        "Stores an instruction in the image to run later, right after the `FROM` of any "
        "build that uses this image as its base. It does nothing in this build.",
        "ONBUILD <INSTRUCTION>",
        "Hidden steps surprise the users of the image (a `COPY . .` trigger copies their "
        "whole context). `ONBUILD` cannot wrap `FROM`, `MAINTAINER` or `ONBUILD`.",
        "onbuild",
    ),
    "STOPSIGNAL": Doc(
        "STOPSIGNAL",
        "The signal `docker stop` sends to the container's main process (default "
        "`SIGTERM`), by name (`SIGQUIT`) or number.",
        "STOPSIGNAL <signal>",
        "",
        "stopsignal",
    ),
    "HEALTHCHECK": Doc(
        "HEALTHCHECK",
        "Tells the runtime how to probe the container: the command runs inside it, exit "
        "status 0 means healthy, 1 unhealthy. `HEALTHCHECK NONE` turns off a check "
        "inherited from the base image. Only the last one counts.",
        "HEALTHCHECK [--interval=…] [--timeout=…] [--start-period=…] [--start-interval=…] "
        "[--retries=…] CMD <command>  |  HEALTHCHECK NONE",
        "The probe's program must exist in the final image: `curl` in a `CMD curl …` "
        "check adds a package; a small binary or the application itself can answer instead.",
        "healthcheck",
    ),
    "SHELL": Doc(
        "SHELL",
        "Replaces the shell used by the shell form of `RUN`, `CMD` and `ENTRYPOINT` "
        '(default `["/bin/sh", "-c"]` on Linux, `["cmd", "/S", "/C"]` on Windows). '
        "JSON form only; it applies to the following instructions.",
        'SHELL ["executable", "param"]',
        'Handy for `["/bin/bash", "-o", "pipefail", "-c"]`, so a failing command inside '
        "a pipe fails the step.",
        "shell",
    ),
}

# --------------------------------------------------------------------------- flags

_LINK_TEXT = (
    "Copies into an independent layer placed on top of the previous state instead of "
    "into it. The layer does not depend on the steps before it, so it stays cached when "
    "they change and can be reused on a new base image without rebuilding."
)
_LINK_IMPACT = (
    "Better cache reuse, especially for `COPY --from` in multi-stage builds. The copy "
    "cannot follow symlinks already in the destination path, and `--chown` then needs "
    "numeric IDs."
)
_CHOWN_TEXT = (
    "Sets the owner of the copied files (`user`, `user:group`, or numeric IDs). Without "
    "it files belong to root. Names are looked up in the image's `/etc/passwd` and "
    "`/etc/group`."
)
_CHOWN_IMPACT = (
    "Setting ownership here is free; a separate `RUN chown -R` afterwards copies every "
    "file into a new layer and doubles their size."
)
_CHMOD_TEXT = (
    "Sets the permissions of the copied files, in octal (`755`) or, since Dockerfile "
    "1.14, symbolic notation (`+x`, `u=rwX,go=rX`). Not supported for Windows containers."
)
_CHMOD_IMPACT = "Avoids a later `RUN chmod`, which would duplicate the files in a new layer."
_EXCLUDE_TEXT = (
    "Leaves out the files matching a pattern (same wildcard rules as the sources); repeat "
    "the flag for several patterns. Since Dockerfile 1.19."
)
_EXCLUDE_IMPACT = (
    "Excluded files neither reach the layer nor take part in its cache key. For files "
    "that should never reach the builder at all, use `.dockerignore`."
)

FLAGS: dict[tuple[str, str], Doc] = {
    ("FROM", "platform"): Doc(
        "FROM --platform",
        "Chooses the platform variant of a multi-platform base image (`linux/amd64`, "
        "`linux/arm64`…); by default the build's target platform. "
        "`--platform=$BUILDPLATFORM` runs the stage natively on the build machine, "
        "typically to cross-compile for `$TARGETPLATFORM`.",
        "FROM --platform=<platform> <image>",
        "Building natively and cross-compiling avoids slow CPU emulation in multi-platform builds.",
        "from",
    ),
    ("RUN", "mount"): Doc(
        "RUN --mount",
        "Mounts something into this one `RUN` only: build-context files or another "
        "stage (`bind`), a persistent cache directory (`cache`), a scratch `tmpfs`, a "
        "`secret`, or the SSH agent (`ssh`). Mounted content is not part of the layer.",
        "RUN --mount=type=<bind|cache|tmpfs|secret|ssh>[,key=value…] <command>",
        "A cache mount keeps package-manager downloads between builds without putting "
        "them in the image; a bind mount reads inputs without a `COPY` layer; a secret "
        "mount keeps credentials out of layers and history.",
        "run---mount",
    ),
    ("RUN", "network"): Doc(
        "RUN --network",
        "The network of this command: `default`, `none` (no network, only loopback) or "
        "`host` (the host's network; needs the `network.host` entitlement).",
        "RUN --network=<default|none|host> <command>",
        "`--network=none` proves a step is hermetic: it can only use what earlier "
        "steps or mounts provided.",
        "run---network",
    ),
    ("RUN", "security"): Doc(
        "RUN --security",
        "`insecure` runs the command without the sandbox, like `docker run "
        "--privileged`; it needs the `security.insecure` entitlement on the builder "
        "and the build. `sandbox` is the default.",
        "RUN --security=<sandbox|insecure> <command>",
        "",
        "run---security",
    ),
    ("RUN", "device"): Doc(
        "RUN --device",
        "Makes a CDI device (for example a GPU, `nvidia.com/gpu=all`) available to the "
        "command. Needs BuildKit 0.20+ and the `device` entitlement.",
        "RUN --device=<name>[,required] <command>",
        "",
        "run---device",
    ),
    ("COPY", "from"): Doc(
        "COPY --from",
        "Copies from an earlier stage (by name or index), an image, or a named build "
        "context instead of the build context. Source paths start at that filesystem's "
        "root.",
        "COPY --from=<stage|image|context> <src>… <dest>",
        "The heart of multi-stage builds: only the copied files reach this stage, not "
        "the source stage's toolchain.",
        "copy---from",
    ),
    ("COPY", "chown"): Doc(
        "COPY --chown", _CHOWN_TEXT, "COPY --chown=<user>:<group>", _CHOWN_IMPACT, "copy---chown"
    ),
    ("COPY", "chmod"): Doc(
        "COPY --chmod", _CHMOD_TEXT, "COPY --chmod=<perms>", _CHMOD_IMPACT, "copy---chmod"
    ),
    ("COPY", "link"): Doc(
        "COPY --link", _LINK_TEXT, "COPY --link[=<bool>] <src>… <dest>", _LINK_IMPACT, "copy---link"
    ),
    ("COPY", "parents"): Doc(
        "COPY --parents",
        "Keeps the sources' parent directories under the destination "
        "(`COPY --parents ./a/x.txt /out/` gives `/out/a/x.txt`); a `./` inside a source "
        "marks where the kept part starts, and `**` matches any depth. Since Dockerfile 1.20.",
        "COPY --parents[=<bool>] <src>… <dest>",
        "Lets one `COPY` place files from many directories (for example every "
        "`package.json` of a monorepo) instead of one `COPY` per directory.",
        "copy---parents",
    ),
    ("COPY", "exclude"): Doc(
        "COPY --exclude",
        _EXCLUDE_TEXT,
        "COPY --exclude=<pattern> <src>… <dest>",
        _EXCLUDE_IMPACT,
        "copy---exclude",
    ),
    ("ADD", "chown"): Doc(
        "ADD --chown", _CHOWN_TEXT, "ADD --chown=<user>:<group>", _CHOWN_IMPACT, "add---chown"
    ),
    ("ADD", "chmod"): Doc(
        "ADD --chmod", _CHMOD_TEXT, "ADD --chmod=<perms>", _CHMOD_IMPACT, "add---chmod"
    ),
    ("ADD", "link"): Doc(
        "ADD --link", _LINK_TEXT, "ADD --link[=<bool>] <src>… <dest>", _LINK_IMPACT, "add---link"
    ),
    ("ADD", "exclude"): Doc(
        "ADD --exclude",
        _EXCLUDE_TEXT,
        "ADD --exclude=<pattern> <src>… <dest>",
        _EXCLUDE_IMPACT,
        "add---exclude",
    ),
    ("ADD", "checksum"): Doc(
        "ADD --checksum",
        "Verifies a remote source: `sha256:<hex>` of an HTTP download, or the commit "
        "SHA (or a prefix) of a Git source. The build fails on a mismatch.",
        "ADD --checksum=sha256:<hash> <url> <dest>",
        "Pins the download, so the step is reproducible and cached by a known digest "
        "instead of re-fetching whatever the URL serves today.",
        "add---checksum",
    ),
    ("ADD", "keep-git-dir"): Doc(
        "ADD --keep-git-dir",
        "When the source is a Git repository, also keeps its `.git` directory (left "
        "out by default).",
        "ADD --keep-git-dir=<bool> <git-url> <dest>",
        "`.git` holds the whole history: it can be much larger than the checkout.",
        "add---keep-git-dir",
    ),
    ("ADD", "unpack"): Doc(
        "ADD --unpack",
        "Whether tar archives (also gzip, bzip2, xz, zstd) are extracted. Local "
        "archives are extracted by default, downloaded ones are not; `--unpack=true` "
        "extracts a download, `--unpack=false` keeps a local archive as a file. Since "
        "Dockerfile 1.17.",
        "ADD --unpack=<bool> <src> <dest>",
        "Extracting in `ADD` avoids shipping the archive and its extracted copy in two "
        "layers (download, then `RUN tar`).",
        "add---unpack",
    ),
    ("HEALTHCHECK", "interval"): Doc(
        "HEALTHCHECK --interval",
        "Time between two probes (default `30s`), counted from the end of the previous one.",
        "HEALTHCHECK --interval=<duration> CMD …",
        "",
        "healthcheck",
    ),
    ("HEALTHCHECK", "timeout"): Doc(
        "HEALTHCHECK --timeout",
        "A probe running longer than this (default `30s`) is killed and counts as a failure.",
        "HEALTHCHECK --timeout=<duration> CMD …",
        "",
        "healthcheck",
    ),
    ("HEALTHCHECK", "start-period"): Doc(
        "HEALTHCHECK --start-period",
        "Start-up grace time (default `0s`): failures during it do not count towards "
        "`--retries`; the first success ends it.",
        "HEALTHCHECK --start-period=<duration> CMD …",
        "",
        "healthcheck",
    ),
    ("HEALTHCHECK", "start-interval"): Doc(
        "HEALTHCHECK --start-interval",
        "Time between probes during the start period (default `5s`). Needs Docker "
        "Engine 25 or later.",
        "HEALTHCHECK --start-interval=<duration> CMD …",
        "",
        "healthcheck",
    ),
    ("HEALTHCHECK", "retries"): Doc(
        "HEALTHCHECK --retries",
        "How many failures in a row (default `3`) make the container `unhealthy`.",
        "HEALTHCHECK --retries=<n> CMD …",
        "",
        "healthcheck",
    ),
}

HEALTHCHECK_WORDS: dict[str, Doc] = {
    "CMD": Doc(
        "HEALTHCHECK CMD",
        "The probe command, in shell or exec form. It runs inside the container: exit "
        "status 0 is healthy, 1 is unhealthy (2 is reserved).",
        "HEALTHCHECK [options] CMD <command>",
        "",
        "healthcheck",
    ),
    "NONE": Doc(
        "HEALTHCHECK NONE",
        "Disables any health check inherited from the base image.",
        "HEALTHCHECK NONE",
        "",
        "healthcheck",
    ),
}

# --------------------------------------------------------------------------- --mount

MOUNT_TYPES: dict[str, Doc] = {
    "bind": Doc(
        "--mount type=bind",
        "The default type. Mounts files from the build context, or from a stage, "
        "image or named context given by `from`, read-only unless `rw` is set.",
        "RUN --mount=type=bind,source=<path>,target=<path>[,from=<stage>]",
        "Use it for inputs a step only reads (`requirements.txt`, sources to compile): "
        "they never become a layer. Writes with `rw` are discarded after the step.",
        "run---mounttypebind",
    ),
    "cache": Doc(
        "--mount type=cache",
        "A directory that persists between builds on the same builder, for compiler and "
        "package-manager caches (`/root/.npm`, `/root/.cache/pip`, `/go/pkg/mod`, "
        "`/var/cache/apt`). Its content never enters the image.",
        "RUN --mount=type=cache,target=<path>[,id=…][,sharing=shared|private|locked]",
        "Faster rebuilds without bloat: no need to delete the cache in the same `RUN`. "
        "The build must still work with an empty cache, since it can be pruned at any time.",
        "run---mounttypecache",
    ),
    "tmpfs": Doc(
        "--mount type=tmpfs",
        "An in-memory filesystem at `target` for this step only; `size` caps it.",
        "RUN --mount=type=tmpfs,target=<path>[,size=<bytes>]",
        "Scratch files written there never reach the layer.",
        "run---mounttypetmpfs",
    ),
    "secret": Doc(
        "--mount type=secret",
        "Exposes a secret passed with `docker build --secret id=…` as a file "
        "(`/run/secrets/<id>` by default) or, with `env`, as an environment variable, "
        "for this step only.",
        "RUN --mount=type=secret,id=<id>[,target=<path>|,env=<NAME>][,required=true]",
        "The secret is kept out of layers, the cache key and `docker history`, unlike an "
        "`ARG`, `ENV` or copied file.",
        "run---mounttypesecret",
    ),
    "ssh": Doc(
        "--mount type=ssh",
        "Forwards the SSH agent (or keys) given with `docker build --ssh` into the "
        "step, for example to clone private repositories.",
        "RUN --mount=type=ssh[,id=default][,required=true] <command>",
        "Keys never land in a layer.",
        "run---mounttypessh",
    ),
}

_TARGET = "Where the mount appears inside the build container."
MOUNT_KEYS: dict[str, dict[str, str]] = {
    "": {
        "type": "The mount type: `bind` (default), `cache`, `tmpfs`, `secret` or `ssh`.",
        "target": _TARGET,
        "dst": _TARGET + " Same as `target`.",
        "destination": _TARGET + " Same as `target`.",
    },
    "bind": {
        "source": "Path inside `from` (or the build context) to mount; its root by default.",
        "src": "Same as `source`.",
        "from": "Stage, image or named context to mount from; the build context by default.",
        "rw": "Allow writes; they are thrown away when the step ends.",
        "readwrite": "Same as `rw`.",
    },
    "cache": {
        "id": "Names the cache, so several mounts (even in different stages) share it. "
        "Defaults to the target path.",
        "sharing": "Concurrent use of the cache: `shared` (default, many writers), "
        "`private` (a new cache per concurrent writer) or `locked` (wait for the other "
        "writer; what apt needs).",
        "ro": "Mount the cache read-only.",
        "readonly": "Same as `ro`.",
        "from": "Stage or image whose content seeds the cache; empty by default.",
        "source": "Subpath of `from` to seed the cache with.",
        "mode": "Permissions of a new cache directory, in octal (default `0755`).",
        "uid": "Owner of a new cache directory (default `0`): set it when the step "
        "runs as a non-root `USER`.",
        "gid": "Group of a new cache directory (default `0`).",
    },
    "tmpfs": {
        "size": "Upper limit of the tmpfs size.",
    },
    "secret": {
        "id": "The id given to `docker build --secret id=…`; defaults to the target's file name.",
        "env": "Expose the secret as this environment variable (Dockerfile 1.10+).",
        "required": "Fail the step when the secret is not provided (default: an empty mount).",
        "mode": "Permissions of the secret file, in octal (default `0400`).",
        "uid": "Owner of the secret file (default `0`).",
        "gid": "Group of the secret file (default `0`).",
    },
    "ssh": {
        "id": "Which `--ssh` entry to forward (default `default`).",
        "required": "Fail the step when no agent or key is provided.",
        "mode": "Permissions of the agent socket, in octal (default `0600`).",
        "uid": "Owner of the agent socket (default `0`).",
        "gid": "Group of the agent socket (default `0`).",
    },
}

# --------------------------------------------------------------------------- directives

DIRECTIVES: dict[str, Doc] = {
    "syntax": Doc(
        "# syntax",
        "Chooses the Dockerfile frontend image BuildKit uses to read this file. "
        "`docker/dockerfile:1` always fetches the newest stable 1.x syntax, so new "
        "instructions and flags work without upgrading Docker; pin `1.x` for fully "
        "repeatable builds.",
        "# syntax=docker/dockerfile:1",
        "",
        "syntax",
    ),
    "escape": Doc(
        "# escape",
        "Sets the escape and line-continuation character: backslash (default) or "
        "backtick. A backtick suits Windows images, where backslash is the path "
        "separator.",
        "# escape=\\  |  # escape=`",
        "",
        "escape",
    ),
    "check": Doc(
        "# check",
        "Configures BuildKit's build checks: `skip=Name1,Name2` (or `skip=all`) turns "
        "checks off, `error=true` fails the build on a check warning; combine with `;`. "
        "dockerls also honours `skip` for its rules that have a BuildKit equivalent.",
        "# check=skip=<checks|all>;error=<bool>",
        "",
        "check",
    ),
}

# --------------------------------------------------------------------------- build arguments

_PLATFORM_NOTE = (
    "Set by BuildKit for every build. Available in the global scope (`FROM` lines and "
    "global `ARG` defaults) without a declaration; inside a stage, declare `ARG {name}` "
    "first, otherwise it is empty there."
)

AUTOMATIC_ARGS: dict[str, str] = {
    "TARGETPLATFORM": "The platform of the image being built, e.g. `linux/amd64` or "
    "`linux/arm/v7` (from `--platform`).",
    "TARGETOS": "The OS part of `TARGETPLATFORM`, e.g. `linux`.",
    "TARGETARCH": "The architecture part of `TARGETPLATFORM`, e.g. `amd64`, `arm64`.",
    "TARGETVARIANT": "The variant part of `TARGETPLATFORM`, e.g. `v7`; often empty.",
    "BUILDPLATFORM": "The platform of the machine running the build, e.g. `linux/amd64`.",
    "BUILDOS": "The OS part of `BUILDPLATFORM`.",
    "BUILDARCH": "The architecture part of `BUILDPLATFORM`.",
    "BUILDVARIANT": "The variant part of `BUILDPLATFORM`.",
}
AUTOMATIC_NOTE = _PLATFORM_NOTE
AUTOMATIC_ANCHOR = "automatic-platform-args-in-the-global-scope"

PROXY_ARGS = frozenset(
    {
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "FTP_PROXY",
        "ftp_proxy",
        "NO_PROXY",
        "no_proxy",
        "ALL_PROXY",
        "all_proxy",
    }
)
PROXY_NOTE = (
    "A predefined proxy argument: it can be passed with `--build-arg` without an `ARG` "
    "line and reaches `RUN` steps. Unless declared with `ARG`, it is left out of "
    "`docker history` and does not affect the cache."
)
PROXY_ANCHOR = "predefined-args"

BUILTIN_ARGS: dict[str, str] = {
    "BUILDKIT_CACHE_MOUNT_NS": "Namespace for cache mount ids.",
    "BUILDKIT_CONTEXT_KEEP_GIT_DIR": "Keep the `.git` directory of a Git build context.",
    "BUILDKIT_INLINE_CACHE": "Write cache metadata into the image config (inline cache).",
    "BUILDKIT_MULTI_PLATFORM": "Produce the same output whether or not the build is "
    "multi-platform.",
    "BUILDKIT_SANDBOX_HOSTNAME": "Hostname seen by `RUN` steps (default `buildkitsandbox`).",
    "BUILDKIT_SYNTAX": "Frontend image to use; `dockerfile.v0` ignores the `# syntax` line.",
    "BUILDKIT_BUILD_NAME": "Name shown for the build in build history.",
    "SOURCE_DATE_EPOCH": "Unix time used for image and layer timestamps (reproducible builds).",
}
BUILTIN_ANCHOR = "buildkit-built-in-build-args"

# --------------------------------------------------------------------------- other

HEREDOC = Doc(
    "Here-document",
    "The lines after this marker, up to the line holding only the delimiter, are the "
    "script of a `RUN` or the content of a file for `COPY`/`ADD`. With a quoted "
    "delimiter (`<<'EOF'`) variables in the body are not expanded; `<<-` strips "
    "leading tabs.",
    "RUN <<EOF … EOF",
    "A multi-line script in one `RUN` is still one layer: clean up inside it.",
    "here-documents",
)

PRAGMAS: dict[str, str] = {
    "ignore": "`# dockerls: ignore=CODE,name` silences those dockerls rules for the "
    "instruction right below the comment.",
    "ignore-file": "`# dockerls: ignore-file=CODE,name` silences those dockerls rules "
    "in the whole file.",
    "hadolint": "`# hadolint ignore=DLxxxx` (above an instruction) and `# hadolint "
    "global ignore=DLxxxx` are honoured too: each hadolint code silences the dockerls "
    "rules that check the same thing.",
}
