"""Split into build and runtime stages (``dockerls.actions.split``), DKL203's remedy.

Every offered rewrite is checked the same way (``assert_properties``): BuildKit's
parser reads the result; the builder keeps every build step and the runtime stage
holds every instruction the placement table sends there, exactly once; every
``COPY --from=`` names a stage; re-analysis shows no DKL203, and no DKL202 or
DKL204 in the final stage, and no finding code the original did not have
(exceptions are listed in ``ALLOWED_NEW``); the split is not offered again and
fix-all on the result is stable.
"""

from __future__ import annotations

import difflib
import re

import dockerfile
import pytest

from dockerls.actions.fixall import fix_all
from dockerls.actions.split import SplitAction, split_stage, why_not
from dockerls.analysis import analyze
from dockerls.context import CONTEXT_EMPTY, BuildContext, PackageJson
from dockerls.edits import apply_edits
from dockerls.graph import build_graph
from dockerls.rules.build_state import final_scope, resolve, steps
from dockerls.rules.engine import RuleContext
from dockerls.syntax import Dockerfile, Stage, parse
from tests.corpus import SKIP_REASON, corpus_files, read

MOVED = {"LABEL", "EXPOSE", "VOLUME", "USER", "HEALTHCHECK", "STOPSIGNAL"} | {
    "ENTRYPOINT",
    "CMD",
    "ONBUILD",
    "MAINTAINER",
}
COPIED = {"ARG", "ENV", "WORKDIR"}
BUILDER = {"RUN", "COPY", "ADD"}
# Finding codes the split may introduce although the original did not have them:
# none so far.
ALLOWED_NEW: frozenset[str] = frozenset()
# The findings that call for a split: a build, a full base, a toolchain, dev dependencies.
TRIGGERS = frozenset({"DKL201", "DKL202", "DKL203", "DKL204"})

# --------------------------------------------------------------------------- helpers


def rule_context(text: str, build: BuildContext = CONTEXT_EMPTY) -> RuleContext:
    doc = parse(text)
    return RuleContext(doc, build_graph(doc), build)


def actions(text: str, build: BuildContext = CONTEXT_EMPTY) -> list[SplitAction]:
    ctx = rule_context(text, build)
    return split_stage(ctx, ctx.document.stages[-1])


def reasons(text: str, build: BuildContext = CONTEXT_EMPTY) -> list[str]:
    ctx = rule_context(text, build)
    return why_not(ctx, ctx.document.stages[-1])


def node_context(**scripts: str) -> BuildContext:
    return BuildContext(
        known=True,
        files=frozenset({"package.json", "package-lock.json"}),
        package_json=PackageJson(name="app", scripts=tuple(scripts.items())),
    )


def _body(ins_text: str) -> str:
    return ins_text.strip()


def assert_properties(
    original: str,
    action: SplitAction,
    build: BuildContext = CONTEXT_EMPTY,
    *,
    final_allowed: frozenset[str] = frozenset(),
) -> str:
    """Check ``action`` on ``original``; ``final_allowed``: DKL202/DKL204 findings the final
    stage may keep on purpose (development dependencies kept because the program imports
    one)."""
    result = apply_edits(original, action.edits)
    # BuildKit reads it.
    # distroless nodejs and java run `node` / `java -jar` as their entrypoint: an
    # exec-form CMD loses those words
    family = re.match(r"gcr\.io/distroless/([a-z]+)", action.runtime_image)
    dropped = {"nodejs": 1, "java": 2}.get(family.group(1) if family else "", 0)
    # `poetry run X` / `pipenv run X` becomes X: the runtime has the environment, not the tool
    runner = re.search(r'^CMD \["(poetry|pipenv)", "run", "[^-]', original, re.MULTILINE)
    dropped = dropped or (2 if runner and action.ecosystem == "python" else 0)
    # build, runtime; or build, deps, runtime (distroless nodejs, pruned node_modules)
    middle = parse(result).stages[1:-1]
    assert all(m.name is not None and m.name_lower.startswith("deps") for m in middle)
    stages = 2 + len(middle)
    assert stages in (2, 3)
    parsed = dockerfile.parse_string(result)
    assert sum(1 for i in parsed if i.cmd.lower() == "from") == stages
    before = parse(original)
    after = parse(result)
    assert not after.problems, after.problems
    assert len(after.stages) == stages
    builder, runtime = after.stages[0], after.stages[-1]

    def text_of(doc_lines: tuple[str, ...], ins: object) -> str:
        span = ins.span  # type: ignore[attr-defined]
        return "\n".join(doc_lines[span.start.line : span.end.line + 1])

    built = [text_of(after.lines, i) for i in builder.instructions]
    shipped = [text_of(after.lines, i) for i in runtime.instructions]
    originals = [text_of(before.lines, i) for i in before.stages[0].instructions]
    for ins in before.stages[0].instructions:
        text = text_of(before.lines, ins)
        if ins.name == "CMD" and dropped and text not in shipped:
            assert ins.exec_form is not None
            wanted = [e.text for e in ins.exec_form.elements][dropped:]
            cmds = [i for i in runtime.instructions if i.name == "CMD"]
            assert any(
                c.exec_form is not None and [e.text for e in c.exec_form.elements] == wanted
                for c in cmds
            )
        elif ins.name in MOVED:
            # exactly as often as the original has it (once, unless it was written twice)
            assert shipped.count(text) == originals.count(text), text
            assert text not in built, text
        elif ins.name in COPIED:
            assert text in built and text in shipped, text
        else:
            assert ins.name in BUILDER
            # a RUN may gain words (go build: -o and CGO_ENABLED=0; an install: its
            # production-only flag); nothing is removed and the rest is byte for byte
            assert text in built or (
                ins.name == "RUN" and any(only_inserted(text, b) for b in built)
            ), text
    for name in ("CMD", "ENTRYPOINT", "USER", "HEALTHCHECK", "STOPSIGNAL"):
        assert not any(i.name == name for i in builder.instructions), name
    names = {s.name_lower for s in after.stages if s.name is not None}
    for ins in after.instructions:
        flag = ins.flag("from")
        if ins.name == "COPY" and flag is not None and flag.value is not None:
            source = flag.value.text.lower()
            if "/" in source or ":" in source:
                continue  # an image, as in the original
            assert source in names
            stage = next(s for s in after.stages if s.name_lower == source)
            for path in (e.text for e in ins.args[:-1]):
                assert produced(after, stage, path), (path, source)
    # Re-analysis: the split removes DKL203, DKL202/DKL204 from what ships, adds nothing.
    old = {f.code for f in analyze(original, context=build).findings}
    new_findings = analyze(result, context=build).findings
    codes = {f.code for f in new_findings}
    assert "DKL203" not in codes
    final_lines = range(runtime.span.start.line, runtime.span.end.line + 1)
    for f in new_findings:
        if f.code in ("DKL202", "DKL204") and f.code not in final_allowed:
            assert f.span.start.line not in final_lines, f
    assert codes - old <= ALLOWED_NEW, codes - old
    # Not offered twice, and fix-all after the split is stable.
    assert actions(result, build) == []
    assert reasons(result, build)
    fixed = fix_all(result).text
    assert fix_all(fixed).text == fixed
    assert len(parse(fixed).stages) == stages
    return result


def only_inserted(original: str, result: str) -> bool:
    """``result`` is ``original`` with text added, nothing removed or changed."""
    ops = difflib.SequenceMatcher(None, original, result, autojunk=False).get_opcodes()
    return all(op in ("equal", "insert") for op, *_ in ops)


# Files every Debian or Alpine base image has, which the scratch runtime copies.
BASE_FILES = {"/etc/ssl/certs/ca-certificates.crt"}
# Where an install command of the official images puts programs.
INSTALL_DIRS = (
    ("cargo install", "/usr/local/cargo/bin/"),
    ("docker-php-ext-", "/usr/local/lib/php/extensions/"),
    ("docker-php-ext-", "/usr/local/etc/php/conf.d/"),
    ("a2enmod", "/etc/apache2/mods-enabled/"),
    ("a2ensite", "/etc/apache2/sites-enabled/"),
    ("a2enconf", "/etc/apache2/conf-enabled/"),
    ("bundle", "/usr/local/bundle/"),  # GEM_HOME of the ruby images
)


def produced(doc: Dockerfile, stage: Stage, path: str) -> bool:
    """Whether ``stage`` makes ``path``: a file of its base, under one of its WORKDIRs or
    COPY destinations, named in one of its RUNs or ENVs (a build's output), or made by the stage
    it is built FROM."""
    path = path.rstrip("/")
    if path in BASE_FILES:
        return True
    ctx = RuleContext(doc, build_graph(doc), CONTEXT_EMPTY)
    roots = [final_scope(ctx, stage).cwd]
    runs: list[str] = []
    for step in steps(ctx, stage):
        ins = step.ins
        roots.append(step.cwd)
        if ins.name in ("COPY", "ADD") and ins.args:
            roots.append(resolve(ins.args[-1].text, step.cwd, step.env) or "/")
        elif ins.name in ("RUN", "ENV"):  # ENV: an install's target (BUNDLE_PATH=/gems)
            runs.append("\n".join(doc.lines[ins.span.start.line : ins.span.end.line + 1]))
    if any(root != "/" and (path + "/").startswith(root.rstrip("/") + "/") for root in roots):
        return True
    glob = path.split("*", 1)[0]
    if any(glob in run for run in runs):
        return True
    for command, directory in INSTALL_DIRS:
        if (path + "/").startswith(directory) and any(command in run for run in runs):
            return True
    parent = next((s for s in doc.stages if s.name_lower == stage.resolved_image), None)
    return parent is not None and parent is not stage and produced(doc, parent, path)


def by_image(found: list[SplitAction], image: str) -> SplitAction:
    return next(a for a in found if a.runtime_image == image)


# --------------------------------------------------------------------------- Node

NODE = """\
FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
ENV NODE_ENV=production
EXPOSE 3000
CMD ["node", "dist/server.js"]
"""

NODE_SLIM = """\
FROM node:20 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
ENV NODE_ENV=production

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build --chown=node /app/package*.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build --chown=node /app/dist /app/dist
RUN chown node /app
USER node
EXPOSE 3000
CMD ["node", "dist/server.js"]
"""


def test_node_npm_build_without_context() -> None:
    found = actions(NODE)
    assert [a.title for a in found] == [
        "Split into build and runtime stages (runtime on node:20-slim)",
        "Split into build and runtime stages (runtime on node:20-alpine — musl)",
        "Split into build and runtime stages "
        "(runtime on gcr.io/distroless/nodejs20-debian12:nonroot)",
    ]
    slim = by_image(found, "node:20-slim")
    assert apply_edits(NODE, slim.edits) == NODE_SLIM
    assert slim.ecosystem == "node"
    assert slim.size_before_mb is not None and slim.size_after_mb is not None
    assert slim.size_after_mb < slim.size_before_mb
    assert any(w.startswith("Base images (uncompressed") for w in slim.warnings)
    for action in found:
        assert_properties(NODE, action)
    assert any("musl" in w for w in by_image(found, "node:20-alpine").warnings)


def test_node_npm_start_with_context() -> None:
    text = NODE.replace('CMD ["node", "dist/server.js"]', 'CMD ["npm", "start"]')
    build = node_context(build="tsc -p .", start="node build/index.js")
    found = actions(text, build)
    assert found
    for action in found:
        result = assert_properties(text, action, build)
        assert "COPY --from=build --chown=node /app/build /app/build" in result
    # Without the context, `npm start` cannot be followed to an artifact: the whole
    # application ships, with production dependencies only.
    found = actions(text)
    assert found
    for action in found:
        result = assert_properties(text, action)
        assert "FROM build AS deps\nRUN npm prune --omit=dev\n" in result
        assert "COPY --from=deps --chown=node /app /app" in result


def test_node_next_build_ships_the_whole_app() -> None:
    """Without ``output: 'standalone'`` a Next.js app needs .next and its modules."""
    build = node_context(build="next build", start="node dist/x.js")
    found = actions(NODE, build)
    assert [a.runtime_image for a in found] == ["node:20-slim"]
    result = assert_properties(NODE, found[0], build)
    assert "COPY --from=deps --chown=node /app /app" in result


def test_node_without_a_build_step_prunes_in_a_deps_stage() -> None:
    text = """\
FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm install
COPY . .
CMD ["node", "server.js"]
"""
    found = actions(text)
    assert [a.runtime_image for a in found] == ["node:20-slim"]
    assert_properties(text, found[0])


def test_node_entry_outside_output_directory_ships_the_whole_app() -> None:
    text = NODE.replace("dist/server.js", "server.js")
    found = actions(text)
    assert [a.runtime_image for a in found] == ["node:20-slim"]
    assert "COPY --from=deps --chown=node /app /app" in assert_properties(text, found[0])


def test_node_yarn_berry_prunes_with_workspaces_focus() -> None:
    # tests/test_split_node_yarn_berry.py has the rest
    text = NODE.replace(
        "RUN npm ci", "RUN corepack enable && yarn set version stable && yarn install"
    ).replace("npm run build", "yarn build")
    (found,) = actions(text)
    result = assert_properties(text, found)
    assert "yarn workspaces focus --all --production" in result


def test_node_user_keeps_its_place() -> None:
    text = NODE.replace("EXPOSE 3000", "USER node\nEXPOSE 3000")
    found = actions(text)
    assert found
    for action in found:
        result = assert_properties(text, action)
        assert result.count("USER node") == 1


def test_user_before_build_is_refused() -> None:
    text = NODE.replace("RUN npm ci", "USER node\nRUN npm ci")
    assert actions(text) == []
    assert "USER" in reasons(text)[0]


def test_run_that_configures_the_runtime_is_refused() -> None:
    text = NODE.replace("RUN npm run build", "RUN npm run build && useradd app")
    assert actions(text) == []
    assert "useradd" in reasons(text)[0]


def test_runtime_os_packages_are_installed_in_the_runtime_too() -> None:
    text = NODE.replace("RUN npm ci", "RUN apt-get update && apt-get install -y ffmpeg\nRUN npm ci")
    found = actions(text)
    # distroless cannot install them; Alpine's apk does not take apt's names
    assert [a.runtime_image for a in found] == ["node:20-slim"]
    result = assert_properties(text, found[0])
    runtime = result.split("FROM node:20-slim\n")[1]
    assert runtime.startswith(
        "WORKDIR /app\nENV NODE_ENV=production\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg "
        "&& rm -rf /var/lib/apt/lists/*\n"
    )
    assert any("ffmpeg" in w for w in found[0].warnings)
    # a static Go runtime has no package manager: the reason says so
    go = GO.replace("RUN go mod download", "RUN apt-get update && apt-get install -y ffmpeg")
    assert actions(go) == []
    assert "ffmpeg" in reasons(go)[0]


NODE_DISTROLESS = """\
FROM node:20 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
ENV NODE_ENV=production

FROM node:20-bookworm-slim AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package*.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps --chown=nonroot /app/node_modules /app/node_modules
COPY --from=build --chown=nonroot /app/package.json /app/package.json
COPY --from=build --chown=nonroot /app/dist /app/dist
USER nonroot
EXPOSE 3000
CMD ["dist/server.js"]
"""


def test_node_distroless_has_a_deps_stage() -> None:
    action = by_image(actions(NODE), "gcr.io/distroless/nodejs20-debian12:nonroot")
    assert apply_edits(NODE, action.edits) == NODE_DISTROLESS
    assert any("entrypoint" in w for w in action.warnings)


def test_node_distroless_needs_exec_form_node_cmd() -> None:
    for cmd in ("CMD node dist/server.js", 'ENTRYPOINT ["node"]\nCMD ["dist/server.js"]'):
        text = NODE.replace('CMD ["node", "dist/server.js"]', cmd)
        images = [a.runtime_image for a in actions(text)]
        assert not any("distroless" in i for i in images), cmd
    text = NODE.replace("EXPOSE 3000", "USER node\nEXPOSE 3000")
    assert not any("distroless" in a.runtime_image for a in actions(text))


# --------------------------------------------------------------------------- Go

GO = """\
FROM golang:1.22
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /bin/server ./cmd/server
EXPOSE 8080
ENTRYPOINT ["/bin/server"]
"""

GO_DISTROLESS = """\
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/server ./cmd/server

FROM {image}
WORKDIR /src
COPY --from=build /bin/server /bin/server
USER nonroot
EXPOSE 8080
ENTRYPOINT ["/bin/server"]
"""

GO_SCRATCH = """\
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/server ./cmd/server

FROM scratch
USER 65532:65532
WORKDIR /src
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /bin/server /bin/server
EXPOSE 8080
ENTRYPOINT ["/bin/server"]
"""


def test_go_static_to_distroless_and_scratch() -> None:
    found = actions(GO)
    assert len(found) == 2
    distroless = next(a for a in found if "distroless/static" in a.runtime_image)
    assert distroless.title == (
        f"Split into build and runtime stages (runtime on {distroless.runtime_image})"
    )
    assert apply_edits(GO, distroless.edits) == GO_DISTROLESS.format(image=distroless.runtime_image)
    scratch = by_image(found, "scratch")
    assert apply_edits(GO, scratch.edits) == GO_SCRATCH
    assert scratch.size_after_mb == 0.0
    for action in found:
        assert action.ecosystem == "go"
        assert_properties(GO, action)


def test_go_output_added_from_cmd() -> None:
    text = GO.replace("-o /bin/server ./cmd/server", ".").replace('["/bin/server"]', '["./server"]')
    found = actions(text)
    assert found
    for action in found:
        result = assert_properties(text, action)
        assert "RUN CGO_ENABLED=0 go build -o /src/server ." in result
        assert "--chown=" in result and "/src/server /src/server" in result


def test_go_cgo_to_debian_slim() -> None:
    text = GO.replace("RUN go build", "RUN CGO_ENABLED=1 go build")
    found = actions(text)
    assert [a.runtime_image for a in found] == ["debian:12-slim"]
    result = assert_properties(text, found[0])
    assert "RUN CGO_ENABLED=1 go build -o /bin/server ./cmd/server" in result
    assert "FROM debian:12-slim" in result


def test_go_cgo_signalled_by_packages_on_alpine_is_refused() -> None:
    text = GO.replace("golang:1.22", "golang:1.22-alpine").replace(
        "RUN go mod download", "RUN apk add --no-cache gcc musl-dev\nRUN go mod download"
    )
    assert actions(text) == []
    assert "musl" in reasons(text)[0]


def test_go_built_by_make_is_a_reason() -> None:
    text = GO.replace("RUN go build -o /bin/server ./cmd/server", "RUN make build")
    assert actions(text) == []
    assert "make" in reasons(text)[0]


def test_go_relative_output_and_prefix_assignment() -> None:
    text = GO.replace(
        "RUN go build -o /bin/server ./cmd/server",
        'RUN GOOS=linux go build -ldflags "-s -w" -o bin/server ./cmd/server',
    ).replace('["/bin/server"]', '["/src/bin/server"]')
    found = actions(text)
    assert found
    for action in found:
        result = assert_properties(text, action)
        assert 'RUN GOOS=linux CGO_ENABLED=0 go build -ldflags "-s -w" -o bin/server' in result
        assert "--chown=" in result and " /src/bin/server /src/bin/server" in result


def test_go_cgo_disabled_by_env_is_not_repeated() -> None:
    text = GO.replace("WORKDIR /src", "ENV CGO_ENABLED=0\nWORKDIR /src")
    found = actions(text)
    assert found
    for action in found:
        result = assert_properties(text, action)
        assert "RUN go build -o /bin/server ./cmd/server" in result
        assert result.count("CGO_ENABLED=0") == 2  # the ENV, in the builder and the runtime


def test_go_named_stage_keeps_its_name() -> None:
    text = GO.replace("FROM golang:1.22", "FROM golang:1.22 AS app")
    found = actions(text)
    assert len(found) == 2
    for action in found:
        result = assert_properties(text, action)
        assert "COPY --from=app /bin/server" in result
        assert "AS build" not in result


def test_node_install_hooks_and_npmrc_warn() -> None:
    build = BuildContext(
        known=True,
        files=frozenset({"package.json", "package-lock.json", ".npmrc"}),
        package_json=PackageJson(scripts=(("build", "tsc"), ("prepare", "husky install"))),
    )
    found = actions(NODE, build)
    assert found
    warnings = " ".join(found[0].warnings)
    assert "prepare" in warnings and ".npmrc" in warnings
    for action in found:
        assert_properties(NODE, action, build)


def test_go_shell_form_cmd_refused_for_static() -> None:
    text = GO.replace('ENTRYPOINT ["/bin/server"]', "CMD /bin/server --port 8080")
    assert actions(text) == []
    assert "shell form" in reasons(text)[0]


def test_go_cmd_runs_something_else() -> None:
    text = GO.replace('["/bin/server"]', '["/bin/other"]')
    assert actions(text) == []
    assert "not the built binary" in reasons(text)[0]


# --------------------------------------------------------------------------- text details


def test_crlf_file() -> None:
    text = GO.replace("\n", "\r\n")
    found = actions(text)
    assert found
    for action in found:
        result = assert_properties(text, action)
        assert "\n" not in result.replace("\r\n", "")


def test_comments_and_parser_directive() -> None:
    text = (
        "# syntax=docker/dockerfile:1\n"
        "# escape=\\\n"
        "\n"
        "# build with the full toolchain\n"
        + GO.replace("EXPOSE 8080", "# the API port\nEXPOSE 8080").replace(
            "ENTRYPOINT", "# run it\nENTRYPOINT"
        )
    )
    action = by_image(actions(text), "scratch")
    result = assert_properties(text, action)
    assert result.startswith("# syntax=docker/dockerfile:1\n# escape=\\\n\n# build with")
    runtime = result.split("FROM scratch", 1)[1]
    assert "# the API port\nEXPOSE 8080\n# run it\nENTRYPOINT" in runtime
    assert "# the API port" not in result.split("FROM scratch", 1)[0]


def test_env_expose_cmd_placement() -> None:
    text = """\
FROM node:20
ARG PORT=3000
ENV PORT=$PORT
WORKDIR /app
LABEL org.opencontainers.image.title=app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
EXPOSE $PORT
STOPSIGNAL SIGTERM
HEALTHCHECK CMD ["node", "dist/health.js"]
CMD ["node", "dist/server.js"]
"""
    found = actions(text)
    assert found
    result = assert_properties(text, by_image(found, "node:20-slim"))
    runtime = result.split("FROM node:20-slim", 1)[1]
    order = ["ARG PORT", "ENV PORT", "WORKDIR", "COPY --from", "USER node", "LABEL"]
    order += ["EXPOSE", "STOPSIGNAL", "HEALTHCHECK", "CMD"]
    positions = [runtime.index(word) for word in order]
    assert positions == sorted(positions)


def test_no_trailing_newline() -> None:
    text = GO.rstrip("\n")
    found = actions(text)
    assert found
    for action in found:
        assert_properties(text, action)


# --------------------------------------------------------------------------- refusals


def test_python_is_a_reason() -> None:
    text = """\
FROM python:3.12
WORKDIR /app
COPY . .
RUN python -m build
CMD ["python", "-m", "app"]
"""
    assert actions(text) == []
    assert "Python" in reasons(text)[0]


def test_multi_stage_is_a_reason() -> None:
    result = apply_edits(GO, actions(GO)[0].edits)
    assert reasons(result)


def test_runtime_filter() -> None:
    ctx = rule_context(GO)
    only = split_stage(ctx, ctx.document.stages[0], runtime="scratch")
    assert [a.runtime_image for a in only] == ["scratch"]


GO_CONTINUED = """\
FROM golang:1.22-alpine
RUN apk add --no-cache git
WORKDIR /src
COPY . .
RUN go mod download && \\
    go build \\
      -trimpath \\
      -o /out/app ./cmd/app
CMD ["/out/app"]
"""

GO_HEREDOC = """\
# syntax=docker/dockerfile:1
FROM golang:1.22
WORKDIR /src
COPY . .
RUN <<EOF
set -e
go build -o /out/app .
EOF
CMD ["/out/app"]
"""

GO_BACKTICK = """\
# escape=`
FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build `
    -o /out/app .
CMD ["/out/app"]
"""


@pytest.mark.parametrize(
    ("text", "edited"),
    [
        (GO_CONTINUED, "RUN go mod download && \\\n    CGO_ENABLED=0 go build \\\n"),
        (GO_HEREDOC, "RUN <<EOF\nset -e\nCGO_ENABLED=0 go build -o /out/app .\nEOF\n"),
        (GO_BACKTICK, "RUN CGO_ENABLED=0 go build `\n    -o /out/app .\n"),
    ],
    ids=["continuation", "heredoc", "backtick-escape"],
)
def test_go_build_written_across_lines(text: str, edited: str) -> None:
    found = actions(text)
    assert len(found) == 2
    for action in found:
        result = assert_properties(text, action)
        assert edited in result
        assert "COPY --from=build /out/app /out/app" in result


def test_onbuild_that_builds_is_refused() -> None:
    text = NODE.replace("EXPOSE 3000", "ONBUILD RUN npm run build\nEXPOSE 3000")
    assert actions(text) == []
    assert "ONBUILD" in reasons(text)[0]


def test_onbuild_metadata_moves_to_the_runtime() -> None:
    text = NODE.replace("EXPOSE 3000", "ONBUILD LABEL child=yes\nEXPOSE 3000")
    found = actions(text)
    assert found
    for action in found:
        result = assert_properties(text, action)
        assert result.split("FROM node:20 AS build", 1)[1].count("ONBUILD") == 1


# --------------------------------------------------------------------------- variants

SAMPLES = {
    "node": NODE,
    "go": GO,
    "go-cgo": GO.replace("RUN go build", "RUN CGO_ENABLED=1 go build"),
    "go-continued": GO_CONTINUED,
    "go-heredoc": GO_HEREDOC,
    "go-backtick": GO_BACKTICK,
    "node-crlf": NODE.replace("\n", "\r\n"),
    "go-no-o": GO.replace("-o /bin/server ./cmd/server", ".").replace(
        '["/bin/server"]', '["./server"]'
    ),
}


def variants(text: str) -> list[str]:
    """Each line dropped, each line doubled, and each line behind a comment."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    for n in range(1, len(lines)):
        out.append("".join(lines[:n] + lines[n + 1 :]))
        out.append("".join(lines[: n + 1] + lines[n:]))
        out.append("".join([*lines[:n], "# note\n", *lines[n:]]))
    return out


def check_variants(text: str) -> None:
    """Every variant of ``text`` is split with every property, or refused with a reason."""
    for variant in variants(text):
        if not parse(variant).stages:
            continue  # the FROM was dropped: there is no stage to ask about
        found = actions(variant)
        why = reasons(variant)
        assert bool(found) != bool(why), variant
        for action in found:
            assert_properties(variant, action)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_variants_are_split_correctly_or_refused(name: str) -> None:
    check_variants(SAMPLES[name])


# --------------------------------------------------------------------------- corpus


def test_corpus() -> None:
    """Where DKL203 fires: actions that satisfy every property, or one reason; never raises.

    Elsewhere nothing is offered (there is no build in one stage to split off).
    """
    files = corpus_files()
    if not files:
        pytest.skip(SKIP_REASON)
    offered = 0
    refused: dict[str, int] = {}
    for path in files:
        text = read(path)
        if not TRIGGERS & {f.code for f in analyze(text).findings}:
            if parse(text).stages:
                assert actions(text) == [], path.name
                assert reasons(text), path.name
            continue
        found = actions(text)
        why = reasons(text)
        assert bool(found) != bool(why), path.name
        if found:
            offered += 1
            if len(parse(text).stages) > 1:
                continue  # the final-stage refactor: tests/test_split_final_stage.py
            for action in found:
                assert_properties(text, action)
        else:
            key = why[0].split(" on line")[0][:60]
            refused[key] = refused.get(key, 0) + 1
    print(f"\nsplit corpus: offered {offered}, refused {sum(refused.values())}")
    for key, count in sorted(refused.items(), key=lambda kv: -kv[1]):
        print(f"  {count:3d}  {key}")


# --------------------------------------------------------------------------- Go exec form

GO_EXEC = """\
FROM golang:1.22
WORKDIR /src
COPY . .
RUN ["go", "build", "."]
CMD ["/src/app"]
"""

GO_EXEC_SPLIT = """\
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
ENV CGO_ENABLED=0
RUN ["go", "build", "-o", "/src/app", "."]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /src
COPY --from=build --chown=nonroot /src/app /src/app
USER nonroot
CMD ["/src/app"]
"""


def test_go_exec_form_gains_output_and_cgo_off_through_env() -> None:
    found = actions(GO_EXEC)
    assert [a.runtime_image for a in found] == [
        "gcr.io/distroless/static-debian13:nonroot",
        "scratch",
    ]
    assert apply_edits(GO_EXEC, found[0].edits) == GO_EXEC_SPLIT
    for action in found:
        assert_properties(GO_EXEC, action)
    check_variants(GO_EXEC)


def test_go_exec_form_through_a_shell_is_a_reason() -> None:
    text = GO_EXEC.replace('["go", "build", "."]', '["sh", "-c", "cd cmd && go build ."]')
    assert actions(text) == []
    assert reasons(text)


@pytest.mark.parametrize("nl", ["\n", "\r\n"])
def test_the_blank_lines_at_the_end_of_the_file_stay(nl: str) -> None:
    text = nl.join(
        [
            "FROM golang:1.22",
            "WORKDIR /src",
            "COPY . .",
            "RUN go build -o /bin/app .",
            'CMD ["/bin/app"]',
            "",
            "",
        ]
    )
    for action in actions(text):
        result = apply_edits(text, action.edits)
        assert result.endswith(f'CMD ["/bin/app"]{nl}{nl}'), repr(result[-40:])
        assert not result.endswith(nl * 3)
