"""What the runtime needs to run like the original (issue 14: failures real builds found).

One section per class: install flags carried over, the Debian release and build
packages of the runtime, tools the container runs, the runtime user's working
directory and the files the program reads, development dependencies the program
imports. Each has the situation and its fixed output or notes, and a trap that
stays as it was. Every offered split goes through ``assert_properties``.
"""

from __future__ import annotations

from pathlib import Path

from dockerls.context import BuildContext, PackageJson, Sources
from dockerls.context_io import read_build_context
from dockerls.edits import apply_edits
from tests.test_split import GO, actions, assert_properties, by_image, reasons
from tests.test_split_rust import CARGO

# --------------------------------------------------------------------------- install flags

NPM_FORCE = """\
FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm install --force --registry https://npm.example/ --no-audit --loglevel warn
COPY . .
RUN npm run build
CMD ["node", "dist/server.js"]
"""

NPM_FORCE_SLIM_TAIL = """\
FROM node:20-slim
WORKDIR /app
COPY --from=build --chown=node /app/package*.json ./
RUN npm install --omit=dev --force --registry https://npm.example/ && npm cache clean --force
COPY --from=build --chown=node /app/dist /app/dist
RUN chown node /app
USER node
CMD ["node", "dist/server.js"]
"""


def test_the_runtime_install_repeats_the_resolution_flags() -> None:
    found = actions(NPM_FORCE)
    slim = by_image(found, "node:20-slim")
    result = assert_properties(NPM_FORCE, slim)
    assert result.endswith(NPM_FORCE_SLIM_TAIL)
    # distroless installs in its deps stage: the same flags there
    distroless = by_image(found, "gcr.io/distroless/nodejs20-debian12:nonroot")
    result = assert_properties(NPM_FORCE, distroless)
    assert (
        "RUN npm install --omit=dev --force --registry https://npm.example/ && npm cache clean "
        "--force\n"
    ) in result


NPM_PRUNED = """\
FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm ci --strict-peer-deps=false -f
COPY . .
CMD ["npm", "start"]
"""


def test_the_prune_repeats_the_resolution_flags() -> None:
    result = assert_properties(NPM_PRUNED, actions(NPM_PRUNED)[0])
    assert "FROM build AS deps\nRUN npm prune --omit=dev --strict-peer-deps=false -f\n" in result


def test_yarn_pnpm_and_bun_productions_installs_repeat_theirs() -> None:
    yarn = NPM_PRUNED.replace(
        "RUN npm ci --strict-peer-deps=false -f",
        "RUN yarn install --frozen-lockfile --ignore-engines --network-timeout 100000",
    ).replace("npm", "yarn")
    result = assert_properties(yarn, actions(yarn)[0])
    assert "RUN yarn install --production --ignore-engines && yarn cache clean\n" in result
    pnpm = NPM_PRUNED.replace(
        "RUN npm ci --strict-peer-deps=false -f",
        "RUN corepack enable && pnpm install --frozen-lockfile --ignore-scripts",
    ).replace('CMD ["npm", "start"]', 'CMD ["node", "server.js"]')
    result = assert_properties(pnpm, actions(pnpm)[0])
    assert "RUN pnpm prune --prod --ignore-scripts\n" in result


def test_trap_an_install_without_resolution_flags_gets_none() -> None:
    text = NPM_FORCE.replace(" --force --registry https://npm.example/", "")
    result = assert_properties(text, by_image(actions(text), "node:20-slim"))
    assert "RUN npm install --omit=dev && npm cache clean --force\n" in result
    plain = NPM_PRUNED.replace(" --strict-peer-deps=false -f", "")
    assert "RUN npm prune --omit=dev\n" in apply_edits(plain, actions(plain)[0].edits)


# --------------------------------------------------------------------------- Debian release

GO_CGO = GO.replace("RUN go build", "RUN CGO_ENABLED=1 go build")

C_BUSTER = """\
FROM debian:buster-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \\
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -o /usr/local/bin/hello hello.c
CMD ["hello"]
"""

C_BUSTER_RUNTIME = """\
FROM debian:buster-slim
WORKDIR /src
RUN useradd --create-home app
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
RUN chown app /src
USER app
CMD ["hello"]
"""


def test_a_slim_debian_builder_runs_on_itself() -> None:
    (action,) = actions(C_BUSTER)
    assert action.runtime_image == "debian:buster-slim"
    assert assert_properties(C_BUSTER, action).endswith("\n\n" + C_BUSTER_RUNTIME)
    assert not any("release" in w for w in action.warnings)


def test_the_runtime_is_on_the_release_the_tag_names() -> None:
    debian10 = C_BUSTER.replace("debian:buster-slim", "debian:10")
    assert [a.runtime_image for a in actions(debian10)] == ["debian:10-slim"]
    go = GO_CGO.replace("golang:1.22", "golang:1.21-buster")
    assert go != GO_CGO
    (action,) = actions(go)
    assert action.runtime_image == "debian:10-slim"
    assert_properties(go, action)
    rust = CARGO.replace("rust:1.78", "rust:1.78-buster")
    slim = by_image(actions(rust), "debian:10-slim")
    result = assert_properties(rust, slim)
    assert "apt-get install -y --no-install-recommends libssl1.1 ca-certificates" in result


def test_trap_a_tag_without_a_release_keeps_its_runtime_and_says_so() -> None:
    (action,) = actions(GO_CGO)
    assert action.runtime_image == "debian:12-slim"
    assert (
        "The builder's Debian release is not in its tag: the runtime is debian:12-slim; its "
        "glibc must be at least as new as the builder's (name the release in both tags to be "
        "sure)."
    ) in action.warnings
    bookworm = C_BUSTER.replace("debian:buster-slim", "debian:bookworm")
    assert [a.runtime_image for a in actions(bookworm)] == ["debian:12-slim"]


# --------------------------------------------------------------------------- build packages

PY_PIP = """\
FROM python:3.12
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg python3-pip \\
    python3-venv && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
"""


def test_build_only_packages_stay_in_the_builder() -> None:
    (action,) = actions(PY_PIP)
    result = assert_properties(PY_PIP, action)
    runtime = result.split("FROM python:3.12-slim\n")[1]
    # the trap: ffmpeg, which the application may run, is still installed there
    assert (
        "RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && "
        "rm -rf /var/lib/apt/lists/*\n"
    ) in runtime
    assert "python3-pip" not in runtime and "python3-venv" not in runtime
    assert (
        "The runtime installs the OS packages the original installed for the application: ffmpeg."
    ) in action.warnings


# --------------------------------------------------------------------------- tools

UV_RUN = """\
FROM python:3.12-bookworm
COPY --from=ghcr.io/astral-sh/uv:0.4.20 /uv /uvx /bin/
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-install-project
COPY . .
RUN uv sync --frozen
CMD ["uv", "run", "uvicorn", "app.main:app", "--host", "0.0.0.0"]
"""

UV_RUN_RUNTIME = """\
FROM python:3.12-slim-bookworm
WORKDIR /app
COPY --from=ghcr.io/astral-sh/uv:0.4.20 /uv /uvx /bin/
RUN useradd --create-home app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=app /app /app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH" UV_PROJECT_ENVIRONMENT=/opt/venv UV_NO_SYNC=1
RUN chown app /app
USER app
CMD ["uv", "run", "uvicorn", "app.main:app", "--host", "0.0.0.0"]
"""

UV_NO_SYNC_NOTE = (
    "the runtime's UV_PROJECT_ENVIRONMENT=/opt/venv UV_NO_SYNC=1 make it run in the "
    "environment the builder made, without syncing it (no resolution, no network at start)."
)


def test_uv_run_gets_uv_from_its_image_and_does_not_sync() -> None:
    (action,) = actions(UV_RUN)
    assert assert_properties(UV_RUN, action).endswith("\n\n" + UV_RUN_RUNTIME)
    assert "The container starts with `uv run`: " + UV_NO_SYNC_NOTE in action.warnings
    assert (
        "The container runs uv, which the builder copies from another image (COPY "
        "--from=ghcr.io/astral-sh/uv:0.4.20 on line 2): the runtime copies it the same way."
    ) in action.warnings


def test_uv_installed_by_pip_is_in_the_environment() -> None:
    text = UV_RUN.replace("COPY --from=ghcr.io/astral-sh/uv:0.4.20 /uv /uvx /bin/\n", "").replace(
        "WORKDIR /app\n", "WORKDIR /app\nRUN pip install uv==0.4.20\n"
    )
    (action,) = actions(text)
    result = assert_properties(text, action)
    runtime = result.split("FROM python:3.12-slim-bookworm\n")[1]
    assert "ghcr.io" not in runtime
    assert "UV_PROJECT_ENVIRONMENT=/opt/venv UV_NO_SYNC=1\n" in runtime
    assert (
        "The container starts with `uv run` (uv is in /opt/venv, installed by pip): "
        + UV_NO_SYNC_NOTE
    ) in action.warnings


def test_uv_run_without_a_known_uv_is_refused() -> None:
    text = UV_RUN.replace("COPY --from=ghcr.io/astral-sh/uv:0.4.20 /uv /uvx /bin/\n", "")
    assert actions(text) == []
    assert reasons(text)[0].startswith(
        "The container starts with `uv run`, and the split cannot tell how uv would reach the "
        "runtime"
    )


def test_poetry_run_becomes_the_environments_program() -> None:
    text = """\
FROM python:3.11
RUN pip install poetry==1.8.5
WORKDIR /code
COPY . .
RUN poetry install --no-root --without dev
CMD ["poetry", "run", "gunicorn", "app:app"]
"""
    (action,) = actions(text)
    result = assert_properties(text, action)
    assert result.endswith('\nRUN chown app /code\nUSER app\nCMD ["gunicorn", "app:app"]\n')
    assert (
        "CMD runs `gunicorn` from the virtual environment (on PATH) instead of through "
        "`poetry run`: the runtime has no poetry."
    ) in action.warnings


def test_trap_a_tool_the_container_does_not_run_stays_in_the_builder() -> None:
    text = UV_RUN.replace('CMD ["uv", "run", "uvicorn"', 'CMD ["uvicorn"')
    (action,) = actions(text)
    runtime = assert_properties(text, action).split("FROM python:3.12-slim-bookworm\n")[1]
    assert "ghcr.io" not in runtime and "UV_NO_SYNC" not in runtime
    assert (
        "/uv, /uvx (COPY --from=ghcr.io/astral-sh/uv:0.4.20 on line 2) stays in the builder: a "
        "command that runs uv, uvx in the container fails in the runtime."
    ) in action.warnings


PM2 = """\
FROM node:20
RUN npm install -g pm2@5 typescript
WORKDIR /app
COPY . .
RUN npm ci && npm run build
CMD ["pm2-runtime", "dist/index.js"]
"""


def test_a_program_installed_globally_is_installed_in_the_runtime_too() -> None:
    (action,) = actions(PM2)
    runtime = assert_properties(PM2, action).split("\nFROM node:20-slim\n")[1]
    assert runtime.startswith("WORKDIR /app\nRUN npm install -g pm2@5 typescript\n")
    assert (
        "The container starts a program the builder installs globally: the runtime installs "
        "it the same way (`npm install -g pm2@5 typescript`)."
    ) in action.warnings


def test_trap_a_global_tool_the_container_does_not_start_stays_in_the_builder() -> None:
    text = PM2.replace('CMD ["pm2-runtime", "dist/index.js"]', 'CMD ["node", "dist/index.js"]')
    for action in actions(text):
        assert "npm install -g" not in assert_properties(text, action).rsplit("\nFROM ", 1)[1]


# --------------------------------------------------------------------------- the user

NODE_WRITES = """\
FROM node:20
WORKDIR /usr/src/app
COPY . .
RUN npm install
EXPOSE 4000
CMD ["npm", "start"]
"""

NODE_WRITES_RUNTIME = """\
FROM node:20-slim
WORKDIR /usr/src/app
COPY --from=deps --chown=node /usr/src/app /usr/src/app
RUN chown node /usr/src/app
USER node
EXPOSE 4000
CMD ["npm", "start"]
"""


def test_the_new_user_owns_the_working_directory() -> None:
    (action,) = actions(NODE_WRITES)
    assert assert_properties(NODE_WRITES, action).endswith("\n\n" + NODE_WRITES_RUNTIME)
    assert (
        "The runtime runs as node (the original ran as root): the working directory "
        "/usr/src/app is node's (RUN chown node /usr/src/app) and the files copied into it are "
        "copied --chown=node, so the application can write there as before; elsewhere it "
        "needs a directory it owns (or a volume)."
    ) in action.warnings


def test_without_a_shell_the_working_directory_is_made_by_the_user() -> None:
    go = GO.replace("-o /bin/server", "-o /src/server").replace('/bin/server"]', '/src/server"]')
    found = actions(go)
    scratch = assert_properties(go, by_image(found, "scratch")).split("\nFROM scratch\n")[1]
    # BuildKit creates a WORKDIR as the current user: USER comes first on scratch
    assert scratch.startswith(
        "USER 65532:65532\nWORKDIR /src\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt "
    )
    assert "COPY --from=build --chown=65532:65532 /src/server /src/server\n" in scratch
    assert any("(USER before WORKDIR)" in w for w in by_image(found, "scratch").warnings)
    # distroless :nonroot runs as nonroot already: its WORKDIR is nonroot's
    distroless = next(a for a in found if "distroless" in a.runtime_image)
    result = assert_properties(go, distroless)
    assert "USER nonroot\nEXPOSE 8080\n" in result and "RUN chown" not in result
    assert any("(the image's own user)" in w for w in distroless.warnings)


def test_trap_a_user_the_original_chose_is_left_alone() -> None:
    text = NODE_WRITES.replace("EXPOSE 4000", "USER node\nEXPOSE 4000")
    (action,) = actions(text)
    runtime = assert_properties(text, action).split("\nFROM node:20-slim\n")[1]
    assert runtime == (
        "WORKDIR /usr/src/app\nCOPY --from=deps /usr/src/app /usr/src/app\nUSER node\n"
        'EXPOSE 4000\nCMD ["npm", "start"]\n'
    )
    assert not any("runs as" in w for w in action.warnings)


# --------------------------------------------------------------------------- dev dependencies


def node_app(
    imports: dict[str, str],
    dev: str = "typescript dotenv",
    build: str = "tsc",
    *,
    files: str = "",
    directories: str = "",
    mentions: str = "",
) -> BuildContext:
    """A Node build context whose sources import ``imports`` (package -> file) and name
    ``mentions`` (root entries) in string literals."""
    return BuildContext(
        known=True,
        files=frozenset({"package.json", "package-lock.json", "tsconfig.json", *files.split()}),
        directories=frozenset({"src", *directories.split()}),
        package_json=PackageJson(
            name="app",
            scripts=(("build", build), ("start", "node dist/server.js")),
            dependencies=frozenset({"ms"}),
            dev_dependencies=frozenset(dev.split()),
        ),
        sources=Sources(tuple(sorted(imports.items())), frozenset(mentions.split())),
    )


NODE_TS = """\
FROM node:20
WORKDIR /usr/src/app
COPY . .
RUN npm ci && npm run build
EXPOSE 4000
CMD ["npm", "start"]
"""

KEEPS_DEV = (
    "package.json lists dotenv under devDependencies, but src/config.ts imports dotenv: a "
    "production-only install would leave it out (`Cannot find module` at start), so the "
    "runtime keeps the development dependencies. Move dotenv to dependencies, then split "
    "again to drop the rest."
)


def test_a_dev_dependency_the_program_imports_keeps_the_dev_dependencies() -> None:
    build = node_app({"dotenv": "src/config.ts", "ms": "src/config.ts"})
    slim = by_image(actions(NODE_TS, build), "node:20-slim")
    result = assert_properties(NODE_TS, slim, build, final_allowed=frozenset({"DKL204"}))
    assert "\nRUN npm ci && npm cache clean --force\n" in result
    assert "--omit=dev" not in result
    assert slim.warnings[1] == KEEPS_DEV
    # the runtime that prunes instead (no build output to copy) keeps them too: no prune
    pruned = NODE_TS.replace("RUN npm ci && npm run build", "RUN npm ci")
    (action,) = actions(pruned, build)
    runtime = assert_properties(pruned, action, build, final_allowed=frozenset({"DKL204"}))
    assert "prune" not in runtime and "AS deps" not in runtime
    assert "COPY --from=build --chown=node /usr/src/app /usr/src/app\n" in runtime
    assert KEEPS_DEV in action.warnings
    assert action.title.endswith("(runtime on node:20-slim)")


def test_a_bundled_dev_dependency_is_only_a_note() -> None:
    build = node_app({"dotenv": "src/config.ts"}, build="esbuild src/server.ts --bundle")
    slim = by_image(actions(NODE_TS, build), "node:20-slim")
    assert "RUN npm ci --omit=dev && npm cache clean --force" in assert_properties(
        NODE_TS, slim, build
    )
    assert (
        "package.json lists dotenv under devDependencies, and src/config.ts imports dotenv; "
        "the build bundles (esbuild), which normally puts imported packages in its output: if "
        "it leaves dotenv external, the production-only runtime lacks it."
    ) in slim.warnings


def test_trap_dev_dependencies_the_program_does_not_import_are_left_out() -> None:
    for build in (node_app({"ms": "src/config.ts"}), node_app({"dotenv": "x"}, dev="tsx")):
        slim = by_image(actions(NODE_TS, build), "node:20-slim")
        result = assert_properties(NODE_TS, slim, build)
        assert "RUN npm ci --omit=dev && npm cache clean --force" in result
        assert not any("devDependencies" in w for w in slim.warnings)


# --------------------------------------------------------------------------- data files

GO_TEMPLATES = """\
FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /bin/app .
EXPOSE 8080
CMD ["/bin/app"]
"""


def go_app(*mentions: str) -> BuildContext:
    return BuildContext(
        known=True,
        files=frozenset({"go.mod", "main.go", "config.yaml", "Makefile"}),
        directories=frozenset({"templates", "internal"}),
        sources=Sources((), frozenset(mentions)),
    )


def test_files_the_sources_name_are_copied_to_the_runtime() -> None:
    build = go_app("templates", "config.yaml")
    found = actions(GO_TEMPLATES, build)
    distroless = next(a for a in found if "distroless" in a.runtime_image)
    result = assert_properties(GO_TEMPLATES, distroless, build)
    assert result.endswith(
        "WORKDIR /src\nCOPY --from=build /bin/app /bin/app\n"
        "COPY --from=build --chown=nonroot /src/config.yaml /src/config.yaml\n"
        "COPY --from=build --chown=nonroot /src/templates /src/templates\n"
        'USER nonroot\nEXPOSE 8080\nCMD ["/bin/app"]\n'
    )
    assert (
        "The sources name files of the build context that the build output does not hold "
        "(/src/config.yaml, /src/templates): the runtime copies them from the builder too."
    ) in distroless.warnings
    # Node: the build output requires ../swagger.json
    build = node_app(
        {"ms": "src/server.ts"},
        files="swagger.json",
        directories="docs",
        mentions="swagger.json docs src tsconfig.json",
    )
    slim = by_image(actions(NODE_TS, build), "node:20-slim")
    result = assert_properties(NODE_TS, slim, build)
    assert (
        "COPY --from=build --chown=node /usr/src/app/dist /usr/src/app/dist\n"
        "COPY --from=build --chown=node /usr/src/app/docs /usr/src/app/docs\n"
        "COPY --from=build --chown=node /usr/src/app/swagger.json /usr/src/app/swagger.json\n"
    ) in result


def test_trap_code_build_files_and_what_already_ships_are_not_copied() -> None:
    build = go_app("internal", "go.mod", "Makefile")
    for action in actions(GO_TEMPLATES, build):
        result = assert_properties(GO_TEMPLATES, action, build)
        assert "/src/internal" not in result and "go.mod /src" not in result
        assert not any("sources name" in w for w in action.warnings)
    # the whole application ships: the files are in it already
    pruned = NODE_TS.replace("RUN npm ci && npm run build", "RUN npm ci")
    build = node_app(
        {"ms": "src/server.ts"},
        files="swagger.json",
        directories="docs",
        mentions="swagger.json docs src tsconfig.json",
    )
    (action,) = actions(pruned, build)
    result = assert_properties(pruned, action, build)
    assert "swagger.json" not in result
    assert not any("sources name" in w for w in action.warnings)


# --------------------------------------------------------------------------- reading the sources


def test_the_context_reader_finds_imports_and_named_files(tmp_path: Path) -> None:
    files = {
        "package.json": '{"devDependencies": {"dotenv": "1"}}',
        "Dockerfile": "FROM node:20\n",
        "swagger.json": "{}",
        "templates/index.html": "<p>",
        "src/config.ts": 'import dotenv from "dotenv";\nimport type { T } from "typed";\n',
        "src/server.ts": 'import { config } from "./config";\n'
        'const s = require("../swagger.json");\nconst v = readFileSync("templates/index.html");\n',
        "src/server.test.ts": 'import { expect } from "vitest";\n',
        "test/e2e.ts": 'import request from "supertest";\n',
        "node_modules/x/index.js": 'require("left-pad");\n',
        "vite.config.ts": 'import { defineConfig } from "vite";\n',
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    context = read_build_context(tmp_path / "Dockerfile")
    assert context.sources == Sources(
        (("dotenv", "src/config.ts"),), frozenset({"src", "swagger.json", "templates"})
    )
    # a context without package.json or go.mod is not searched
    (tmp_path / "package.json").unlink()
    assert read_build_context(tmp_path / "Dockerfile").sources is None


# --------------------------------------------------------------------------- cgo in the sources


def go_context(*imports: str) -> BuildContext:
    """A Go build context whose main.go imports ``imports``."""
    return BuildContext(
        known=True,
        files=frozenset({"go.mod", "main.go"}),
        sources=Sources(tuple((name, "main.go") for name in sorted(imports)), frozenset()),
    )


def test_a_package_importing_c_keeps_cgo_and_gets_a_glibc_runtime() -> None:
    # A real build failed so: CGO_ENABLED=0 added to a package with `import "C"` leaves its
    # C functions undefined ("undefined: Valid") and the builder stops.
    found = actions(GO, go_context("C", "net/http"))
    assert [a.runtime_image for a in found] == ["debian:12-slim"]
    result = assert_properties(GO, found[0], go_context("C", "net/http"))
    assert "CGO_ENABLED=0" not in result
    assert "RUN go build -o /bin/server ./cmd/server" in result


def test_a_package_without_c_is_still_built_static() -> None:
    found = actions(GO, go_context("net/http"))
    assert len(found) == 2 and any(a.runtime_image == "scratch" for a in found)
    assert all("CGO_ENABLED=0 go build" in apply_edits(GO, a.edits) for a in found)


def test_go_imports_are_read_from_single_imports_and_blocks(tmp_path: Path) -> None:
    files = {
        "go.mod": "module example.com/app\n\ngo 1.21\n",
        "Dockerfile": "FROM golang:1.22\n",
        "main.go": 'package main\n\nimport (\n\t"fmt"\n\tlog "log/slog"\n)\n\nfunc main() {}\n',
        "luhn.go": 'package main\n\n// #include <stdlib.h>\nimport "C"\n',
        "luhn_test.go": 'package main\n\nimport "testing"\n',
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    sources = read_build_context(tmp_path / "Dockerfile").sources
    assert sources is not None
    assert dict(sources.imports) == {"C": "luhn.go", "fmt": "main.go", "log/slog": "main.go"}


# --------------------------------------------------------------------------- formatting kept


def test_blank_lines_between_moved_instructions_are_kept() -> None:
    # A real split dropped the blank line between EXPOSE and the commented CMD.
    text = (
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app .\n\n"
        'EXPOSE 8080\n\n# start it\nCMD ["/bin/app"]\n'
    )
    for action in actions(text):
        result = assert_properties(text, action)
        assert result.endswith('EXPOSE 8080\n\n# start it\nCMD ["/bin/app"]\n')
        # The trap: the blank line before the first moved instruction ends the builder.
        assert "RUN CGO_ENABLED=0 go build -o /bin/app .\n\nFROM " in result
