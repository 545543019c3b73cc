"""The final-stage refactor of a multi-stage Node file (``actions/split/final_stage.py``):
the final stage rebased on the slim variant of its base (DKL201) and its node_modules
taken from a ``deps`` stage that prunes the development dependencies (DKL204).

Every offered rewrite goes through ``assert_final_properties``: BuildKit's parser reads
it; every line of the original is there, only the final FROM's image and the reported
copies' ``--from`` changed, and the deps stage added; re-analysis shows no DKL201/DKL204
on the final stage and no new finding; it is not offered again and fix-all is stable.
"""

from __future__ import annotations

import json
from pathlib import Path

import dockerfile
import pytest

from dockerls.actions.fixall import fix_all
from dockerls.actions.offers import ActionKind, split_actions
from dockerls.actions.split import SplitAction, split_stage, why_not
from dockerls.analysis import analyze
from dockerls.context import CONTEXT_EMPTY
from dockerls.edits import apply_edits
from dockerls.syntax import parse
from tests.corpus import SKIP_REASON, corpus_files, read
from tests.test_cli import run
from tests.test_split import actions, reasons, rule_context

NODE = """\
# syntax=docker/dockerfile:1
FROM node:20 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# the image that ships
FROM node:20
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
EXPOSE 8080
CMD ["node", "dist/server.js"]
"""

NODE_SLIMMED = """\
# syntax=docker/dockerfile:1
FROM node:20 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM build AS deps
RUN npm prune --omit=dev

# the image that ships
FROM node:20-slim
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
EXPOSE 8080
CMD ["node", "dist/server.js"]
"""

FINAL_CODES = frozenset({"DKL201", "DKL204"})


def assert_final_properties(
    original: str, action: SplitAction, kept: frozenset[str] = frozenset()
) -> str:
    """Check ``action`` on ``original``; ``kept``: findings the final stage keeps on purpose
    (DKL201 when the rebase is not offered)."""
    result = apply_edits(original, action.edits)
    before, after = parse(original), parse(result)
    assert not after.problems, after.problems
    added = 1 if any(s.name_lower == "deps" for s in after.stages) else 0
    assert len(after.stages) == len(before.stages) + added
    parsed = dockerfile.parse_string(result)
    assert sum(1 for i in parsed if i.cmd.lower() == "from") == len(after.stages)
    # Nothing removed: without the deps stage (its lines and the blank line after it), the
    # result has the original's lines, where only the final FROM's image and some copies'
    # --from value changed.
    lines = result.splitlines()
    if added:
        deps = after.stages[-2]
        first, last = deps.from_.start_line, deps.instructions[-1].end_line
        assert lines[last + 1] == ""
        del lines[first : last + 2]
    # the FROM rewritten: the final stage's, or that of the stage at the top of its chain
    from_lines = {s.from_.start_line for s in before.stages}
    old_lines = original.splitlines()
    for n in sorted(from_lines, reverse=True):  # the run-time libraries, right after FROM
        added_run = (
            lines[n + 1].startswith("RUN apt-get update") and lines[n + 1] != old_lines[n + 1]
        )
        if action.ecosystem == "python" and added_run:
            del lines[n + 1]
    assert len(lines) == len(original.splitlines())
    for n, (old, new) in enumerate(zip(original.splitlines(), lines, strict=True)):
        if old == new:
            continue
        if old.startswith("FROM ") and n in from_lines:
            # the same image name, its slim tag; anything after the image (AS name) kept
            old_words, new_words = old.split(" "), new.split(" ")
            assert old_words[0] == new_words[0] and old_words[2:] == new_words[2:], (old, new)
            assert old_words[1].split(":")[0] == new_words[1].split(":")[0], (old, new)
            assert "slim" in new_words[1] and "slim" not in old_words[1], (old, new)
        else:
            assert old.split("--from=")[0] == new.split("--from=")[0], (old, new)
            assert new.split("--from=")[1].startswith("deps"), (old, new)
    # Re-analysis: DKL201/DKL204 gone from the final stage, nothing new.
    final = after.stages[-1]
    last = final.instructions[-1].end_line
    new_findings = analyze(result).findings
    on_final = {
        f.code
        for f in new_findings
        if final.from_.start_line <= f.span.start.line <= last and f.code in FINAL_CODES - kept
    }
    assert not on_final, on_final
    old_codes = {f.code for f in analyze(original).findings}
    assert {f.code for f in new_findings} - old_codes == set()
    assert actions(result) == []
    assert reasons(result)
    fixed = fix_all(result).text
    assert fix_all(fixed).text == fixed
    return result


def test_rebase_and_production_dependencies() -> None:
    (action,) = actions(NODE)
    assert action.title == (
        "Slim the final stage: node:20 → node:20-slim, production dependencies only"
    )
    assert action.runtime_image == "node:20-slim"
    assert action.ecosystem == "node"
    assert apply_edits(NODE, action.edits) == NODE_SLIMMED
    assert_final_properties(NODE, action)
    notes = "\n".join(action.warnings)
    for said in (
        "node:20 1,230 MB, node:20-slim 234 MB",
        "npm prune --omit=dev",
        "keeps what the build generated in node_modules",
        "line 13",
        "builder stages are untouched",
    ):
        assert said in notes, said


def test_the_debian_release_is_kept() -> None:
    text = NODE.replace("FROM node:20\n", "FROM node:20-bookworm\n")
    (action,) = actions(text)
    assert "node:20-bookworm → node:20-bookworm-slim" in action.title
    assert "FROM node:20-bookworm-slim\n" in assert_final_properties(text, action)


def test_rebase_only_when_the_final_stage_installs_production_dependencies() -> None:
    text = NODE.replace(
        "COPY --from=build /app/node_modules ./node_modules\n",
        "COPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n",
    )
    (action,) = actions(text)
    assert action.title == "Slim the final stage: node:20 → node:20-slim"
    result = assert_final_properties(text, action)
    assert "AS deps" not in result
    assert "native module" in "\n".join(action.warnings)


def test_prune_only_on_a_slim_final_stage() -> None:
    text = NODE.replace("FROM node:20\n", "FROM node:20-slim\n")
    (action,) = actions(text)
    assert action.title == "Slim the final stage: production dependencies only"
    assert action.runtime_image == "node:20-slim"
    result = assert_final_properties(text, action)
    assert "FROM build AS deps\nRUN npm prune --omit=dev\n" in result


def test_a_tool_only_the_full_image_has_keeps_the_base() -> None:
    text = NODE.replace("EXPOSE 8080\n", "RUN curl -fsS https://example.com/cert.pem -o c.pem\n")
    (action,) = actions(text)
    assert action.title == "Slim the final stage: production dependencies only"
    assert "FROM node:20\n" in assert_final_properties(text, action, frozenset({"DKL201"}))
    assert "Not changed: the base stays node:20: the final stage uses curl" in "\n".join(
        action.warnings
    )
    # installed first with apt, it is there on the slim image too: rebased
    installed = NODE.replace(
        "EXPOSE 8080\n",
        "RUN apt-get update && apt-get install -y --no-install-recommends curl "
        "&& rm -rf /var/lib/apt/lists/*\nRUN curl -fsS https://example.com/c.pem -o c.pem\n",
    )
    (action,) = actions(installed)
    assert "node:20 → node:20-slim" in action.title


def test_a_healthcheck_with_curl_keeps_the_base() -> None:
    text = NODE.replace("EXPOSE 8080\n", "HEALTHCHECK CMD curl -f http://localhost:8080/\n")
    (action,) = actions(text)
    assert "node:20-slim" not in action.title
    only_base = text.replace("COPY --from=build /app/node_modules ./node_modules\n", "")
    assert reasons(only_base) == [
        "The base stays node:20: the final stage uses curl, which node:20-slim does not have."
    ]


def test_yarn_and_pnpm_prune_their_way() -> None:
    yarn = NODE.replace("package-lock.json", "yarn.lock").replace("npm ci", "yarn install")
    (action,) = actions(yarn.replace("npm run build", "yarn build"))
    assert "RUN yarn install --production && yarn cache clean\n" in assert_final_properties(
        yarn.replace("npm run build", "yarn build"), action
    )
    pnpm = NODE.replace("package-lock.json", "pnpm-lock.yaml").replace(
        "npm ci", "npm install -g pnpm && pnpm install"
    )
    (action,) = actions(pnpm)
    assert "RUN pnpm prune --prod\n" in apply_edits(pnpm, action.edits)


def test_yarn_berry_focuses_on_production() -> None:
    berry = NODE.replace("package-lock.json", "yarn.lock .yarnrc.yml").replace(
        "npm ci", "corepack enable && yarn install --immutable"
    )
    (action,) = actions(berry.replace("npm run build", "yarn build"))
    result = assert_final_properties(berry.replace("npm run build", "yarn build"), action)
    assert "RUN yarn workspaces focus --all --production && yarn cache clean\n" in result
    notes = "\n".join(action.warnings)
    assert "Yarn 2 and 3 need the workspace-tools plugin" in notes
    assert "which Yarn's focus may relink" in notes


def test_the_install_flags_are_repeated() -> None:
    text = NODE.replace("RUN npm ci\n", "RUN npm ci --legacy-peer-deps\n")
    (action,) = actions(text)
    assert "RUN npm prune --omit=dev --legacy-peer-deps\n" in apply_edits(text, action.edits)


def test_a_taken_deps_name_is_not_reused() -> None:
    text = NODE.replace("FROM node:20 AS build", "FROM node:20 AS deps").replace(
        "--from=build", "--from=deps"
    )
    (action,) = actions(text)
    result = assert_final_properties(text, action)
    assert "FROM deps AS deps-prod\n" in result
    assert "COPY --from=deps-prod /app/node_modules ./node_modules\n" in result


def test_the_whole_application_directory_copied_is_pruned_too() -> None:
    text = NODE.replace(
        "COPY --from=build /app/package.json ./package.json\n"
        "COPY --from=build /app/node_modules ./node_modules\n"
        "COPY --from=build /app/dist ./dist\n",
        "COPY --from=build /app /app\n",
    )
    (action,) = actions(text)
    assert "COPY --from=deps /app /app\n" in assert_final_properties(text, action)


def test_not_offered_with_reasons() -> None:
    # already slim with production dependencies: nothing to slim
    slim = NODE.replace("FROM node:20\n", "FROM node:20-slim\n").replace(
        "RUN npm ci\n", "RUN npm ci --omit=dev\n"
    )
    assert actions(slim) == []
    assert reasons(slim)[0].startswith("The final stage ships no full base")
    # another ecosystem's final stage
    ruby = (
        "FROM ruby:3.3 AS build\nWORKDIR /app\nCOPY . .\nRUN bundle install\n\n"
        "FROM ruby:3.3\nWORKDIR /app\nCOPY --from=build /app /app\n"
        'CMD ["ruby", "app.rb"]\n'
    )
    assert actions(ruby) == []
    assert "only a Node or Python final stage is slimmed so far" in reasons(ruby)[0]
    # a builder stage, asked directly

    ctx = rule_context(NODE)
    assert split_stage(ctx, ctx.document.stages[0]) == []
    assert "only the stage that ships" in why_not(ctx, ctx.document.stages[0])[0]


def test_an_unnamed_builder_gets_the_rebase_only() -> None:
    text = NODE.replace("FROM node:20 AS build", "FROM node:20").replace("--from=build", "--from=0")
    (action,) = actions(text)
    assert action.title == "Slim the final stage: node:20 → node:20-slim"
    assert "has no name for `FROM <builder> AS deps`" in "\n".join(action.warnings)
    slim = text.replace(
        "FROM node:20\nWORKDIR /app\nCOPY --from", "FROM node:20-slim\nWORKDIR /app\nCOPY --from"
    )
    assert actions(slim) == []
    assert "has no name" in reasons(slim)[0]


def test_the_code_action_shows_the_sizes() -> None:
    analysis = analyze(NODE)
    (action,) = split_actions(analysis, analysis.document.stages[-1], CONTEXT_EMPTY)
    assert action.kind is ActionKind.REFACTOR
    assert action.title.startswith(
        "Slim the final stage: node:20 → node:20-slim, production dependencies only: ~"
    )
    assert action.title.endswith(" MB + app")
    assert action.disabled is None
    text = NODE.replace("FROM node:20 AS build", "FROM node:20-slim AS build").replace(
        "FROM node:20\n", "FROM build AS final\n"
    )
    text = text.replace('CMD ["node", "dist/server.js"]', 'CMD ["npm", "run", "dev"]')
    analysis = analyze(text)
    (disabled,) = split_actions(analysis, analysis.document.stages[-1], CONTEXT_EMPTY)
    assert disabled.disabled is not None and "a development server" in disabled.disabled
    assert disabled.title == "Slim the final stage"


def test_cli_fix_split_diff_on_a_multi_stage_file(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(NODE, encoding="utf-8")
    result = run("fix", "--split", "--diff", str(path))
    assert "Traceback" not in result.stderr
    assert "+FROM build AS deps\n+RUN npm prune --omit=dev\n" in result.stdout
    assert "-FROM node:20\n+FROM node:20-slim\n" in result.stdout
    assert "+COPY --from=deps /app/node_modules ./node_modules\n" in result.stdout
    assert "Slim the final stage: node:20 → node:20-slim, production dependencies only" in (
        result.stderr
    )
    assert "(DKL201: 1, DKL204: 1)" in result.stderr
    assert path.read_text(encoding="utf-8") == NODE
    # applied, with the slim runtime chosen by kind
    result = run("fix", "--split", "--runtime", "slim", str(path))
    assert "Traceback" not in result.stderr
    assert path.read_text(encoding="utf-8") == NODE_SLIMMED


def test_cli_keeps_the_development_dependencies_the_sources_import(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "server.js").write_text('require("dotenv").config();\n', encoding="utf-8")
    package = {"name": "x", "dependencies": {"ms": "2"}, "devDependencies": {"dotenv": "16"}}
    (tmp_path / "package.json").write_text(json.dumps(package), encoding="utf-8")
    (tmp_path / "package-lock.json").write_text("{}", encoding="utf-8")
    path = tmp_path / "Dockerfile"
    path.write_text(NODE, encoding="utf-8")
    result = run("fix", "--split", "--diff", str(path))
    assert "Traceback" not in result.stderr
    assert "AS deps" not in result.stdout
    assert "+FROM node:20-slim" in result.stdout
    assert "imports development dependencies" in result.stderr
    assert "dotenv" in result.stderr


def test_corpus_multi_stage_files() -> None:
    """Every multi-stage corpus file: the refactor with every property, or one reason."""
    files = corpus_files()
    if not files:
        pytest.skip(SKIP_REASON)
    offered = 0
    for path in files:
        text = read(path)
        if len(parse(text).stages) < 2:
            continue
        found, why = actions(text), reasons(text)
        assert bool(found) != bool(why), path.name
        for action in found:
            offered += 1
            assert action.title.startswith("Slim the final stage: "), path.name
            kept = frozenset() if "→" in action.title else frozenset({"DKL201"})
            if action.ecosystem == "python":
                kept |= {"DKL204"}  # a Python environment is not reinstalled
            assert_final_properties(text, action, kept)
    assert offered >= 2  # the nestjs-prisma starter's Debian and Alpine files


PYTHON = """\
FROM python:3.12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev libpng-dev \\
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .

FROM python:3.12
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
ENV PATH=/opt/venv/bin:$PATH
CMD ["python", "app.py"]
"""

PYTHON_FINAL = """\
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 libpng16-16t64 \
&& rm -rf /var/lib/apt/lists/*
WORKDIR /app
"""


def test_python_venv_to_slim_with_the_run_time_libraries() -> None:
    (action,) = actions(PYTHON)
    assert action.title == "Slim the final stage: python:3.12 → python:3.12-slim"
    assert action.ecosystem == "python"
    result = assert_final_properties(PYTHON, action)
    assert PYTHON_FINAL in result
    assert result.startswith(PYTHON.split("\n\n", maxsplit=1)[0])  # the builder byte for byte
    notes = "\n".join(action.warnings)
    assert "run-time libraries (libpq5 libpng16-16t64)" in notes
    assert "python:3.12 1,110 MB, python:3.12-slim 119 MB" in notes


def test_python_library_names_follow_the_debian_release() -> None:
    text = PYTHON.replace("FROM python:3.12\n", "FROM python:3.12-bookworm\n")
    (action,) = actions(text)
    result = assert_final_properties(text, action)
    assert "FROM python:3.12-slim-bookworm\n" in result
    assert "libpq5 libpng16-16 &&" in result


def test_python_without_build_packages_is_only_rebased() -> None:
    text = PYTHON.replace("gcc libpq-dev libpng-dev", "gcc python3-dev")
    (action,) = actions(text)
    result = assert_final_properties(text, action)
    assert "FROM python:3.12-slim\nWORKDIR /app\n" in result


def test_python_final_stage_that_compiles_keeps_its_base() -> None:
    text = PYTHON.replace('CMD ["python", "app.py"]', 'RUN gcc -o /bin/x x.c\nCMD ["/bin/x"]')
    assert actions(text) == []
    assert reasons(text) == [
        "The base stays python:3.12: the final stage uses gcc, which python:3.12-slim does "
        "not have."
    ]


def test_python_final_stage_installing_gets_a_note_and_keeps_dkl204() -> None:
    text = (
        "FROM node:20 AS assets\nWORKDIR /web\nCOPY web .\nRUN npm ci && npm run build\n\n"
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
        "COPY --from=assets /web/dist /app/static\n"
        'CMD ["python", "app.py"]\n'
    )
    (action,) = actions(text)
    assert action.title == "Slim the final stage: python:3.12 → python:3.12-slim"
    assert "installs Python packages itself (pip)" in "\n".join(action.warnings)
    assert_final_properties(text, action, frozenset({"DKL204"}))


CHAIN = """\
FROM node:20 AS development
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["node", "src/index.js"]

FROM development AS production
USER node
"""


def test_a_chain_is_rebased_at_its_top() -> None:
    (action,) = actions(CHAIN)
    assert action.title == "Slim the final stage: node:20 → node:20-slim"
    result = assert_final_properties(CHAIN, action)
    assert result == CHAIN.replace("FROM node:20 AS", "FROM node:20-slim AS")
    notes = "\n".join(action.warnings)
    assert (
        "The final stage is built on stage development, so the FROM rewritten is stage "
        "development's: a build of that stage (`--target development`) gets node:20-slim too."
    ) in notes
    assert "native module" in notes  # npm ci runs on the slim image now
    assert "the builder stages are untouched" not in notes


def test_a_longer_chain_names_every_stage() -> None:
    text = CHAIN.replace(
        "FROM development AS production", "FROM development AS middle\n\nFROM middle AS production"
    )
    (action,) = actions(text)
    assert "built on stage development, middle" in "\n".join(action.warnings)
    assert_final_properties(text, action)


def test_a_chain_shared_with_another_stage_keeps_its_base() -> None:
    text = CHAIN.replace(
        "FROM development AS production",
        "FROM development AS test\nRUN npm test\n\nFROM development AS production",
    )
    assert actions(text) == []
    assert reasons(text) == [
        "The base stays node:20: stage test is built on stage development too, and rebasing "
        "would change it as well."
    ]


def test_a_chain_using_a_full_image_tool_keeps_its_base() -> None:
    text = CHAIN.replace("USER node", "RUN git rev-parse HEAD > /app/REVISION\nUSER node")
    assert actions(text) == []
    assert reasons(text) == [
        "The base stays node:20: the stages of the image use git, which node:20-slim does not have."
    ]


def test_a_development_server_keeps_its_development_dependencies() -> None:
    text = (
        CHAIN.replace("FROM node:20 AS", "FROM node:20-slim AS")
        .replace("ENV NODE_ENV=production\n", "")
        .replace('CMD ["node", "src/index.js"]', 'CMD ["npm", "run", "dev"]')
    )
    assert actions(text) == []
    assert reasons(text) == [
        "The development dependencies stay: the image runs `npm run dev`, a development "
        "server that needs them; for production, build the application in a stage of its "
        "own and start the built output in the final stage."
    ]


def test_inherited_development_dependencies_are_said_to_stay() -> None:
    text = CHAIN.replace("ENV NODE_ENV=production\n", "").replace(
        "COPY . .\n", "COPY . .\nRUN npm run build\n"
    )
    (action,) = actions(text)
    assert action.title == "Slim the final stage: node:20 → node:20-slim"
    notes = "\n".join(action.warnings)
    assert (
        "Not changed: the development dependencies stay: they are installed in stage "
        "development, which the final stage is built on, and deleting them in a later layer "
        "would not make the image smaller"
    ) in notes
    assert_final_properties(text, action, frozenset({"DKL204"}))


def test_build_tools_installed_in_a_chain_stage_are_named() -> None:
    text = CHAIN.replace("FROM node:20 AS", "FROM node:20-slim AS").replace(
        "WORKDIR /app\n", "WORKDIR /app\nRUN apt-get update && apt-get install -y g++ make\n", 1
    )
    assert actions(text) == []
    assert reasons(text) == [
        "Stage development, which the final stage is built on, installs build tools itself "
        "(DKL202); move them to a builder stage (the refactor does not move RUNs)."
    ]


def test_python_chain_gets_its_libraries_after_the_top_from() -> None:
    text = PYTHON.replace(
        "FROM python:3.12\nWORKDIR /app\n", "FROM python:3.12 AS run\nWORKDIR /app\n"
    ).replace(
        'CMD ["python", "app.py"]\n', 'CMD ["python", "app.py"]\n\nFROM run AS final\nUSER 1000\n'
    )
    (action,) = actions(text)
    result = assert_final_properties(text, action)
    assert "FROM python:3.12-slim AS run\nRUN apt-get update && apt-get install -y " in result
    assert "libpq5 libpng16-16t64" in result
