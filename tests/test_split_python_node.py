"""Split for mixed Python + Node images (issue 15): JavaScript/CSS assets built with npm,
yarn or pnpm in a Python stage stay in the builder; the runtime is the python slim image
of the same minor, without Node and without the asset projects' ``node_modules``.

Every offered split goes through ``assert_properties`` (tests/test_split.py).
"""

from __future__ import annotations

import pytest

from dockerls.actions.split.assets import excluded, old_syntax
from dockerls.edits import apply_edits
from tests.test_split import actions, assert_properties, check_variants, reasons

# In the style of the corpus file that asked for it (a Django app, no CMD).
DJANGO = """\
FROM nikolaik/python-nodejs:python3.8-nodejs12

WORKDIR /app

RUN apt-get update && apt-get install -y libpq-dev gcc
COPY requirements.txt .
RUN pip3 install -r requirements.txt

COPY . .

RUN yarn --cwd staticsrc && yarn --cwd staticsrc build

RUN python3 manage.py collectstatic --no-input
"""

DJANGO_SPLIT = """\
FROM nikolaik/python-nodejs:python3.8-nodejs12 AS build

WORKDIR /app

RUN apt-get update && apt-get install -y libpq-dev gcc
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip3 install -r requirements.txt

COPY . .

RUN yarn --cwd staticsrc && yarn --cwd staticsrc build

RUN python3 manage.py collectstatic --no-input

FROM python:3.8-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf {lists}
RUN useradd --create-home app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=app --exclude=staticsrc/node_modules /app /app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN chown app /app
USER app
""".format(lists="/var/lib/apt/lists/*")


def test_python_nodejs_assets_stay_in_the_builder() -> None:
    found = actions(DJANGO)
    assert [a.title.split(":")[0] for a in found] == [
        "Split into build and runtime stages (runtime on python"
    ]
    action = found[0]
    assert action.runtime_image == "python:3.8-slim"
    assert apply_edits(DJANGO, action.edits) == DJANGO_SPLIT
    assert action.ecosystem == "python"
    # the knowledge base's approximate size of the image with Node, against python slim
    assert action.size_before_mb is not None and action.size_after_mb is not None
    assert action.size_after_mb < action.size_before_mb
    notes = " ".join(action.warnings)
    assert "`yarn --cwd staticsrc build`" in notes
    assert "without /app/staticsrc/node_modules (COPY --exclude" in notes
    assert "the runtime has no Node" in notes
    assert "STATIC_ROOT is inside /app" in notes
    # no CMD: both images start python3, and the notes say so
    assert "There is no CMD" in notes and "python:3.8-slim starts python3 too" in notes
    assert_properties(DJANGO, action)


NPM_PREFIX = """\
FROM nikolaik/python-nodejs:python3.11-nodejs20-bookworm
WORKDIR /srv
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN npm --prefix frontend ci && npm --prefix frontend run build
EXPOSE 8000
CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]
"""


def test_npm_prefix_project_on_the_same_debian_release() -> None:
    action = actions(NPM_PREFIX)[0]
    assert action.runtime_image == "python:3.11-slim-bookworm"
    result = assert_properties(NPM_PREFIX, action)
    assert "COPY --from=build --chown=app --exclude=frontend/node_modules /srv /srv" in result
    assert "There is no CMD" not in " ".join(action.warnings)
    assert 'CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]' in result


@pytest.mark.parametrize(
    ("build", "pattern"),
    [
        ("RUN cd web && yarn install --frozen-lockfile && yarn build", "web/node_modules"),
        ("RUN pnpm --dir ui install && pnpm --dir ui run build", "ui/node_modules"),
        ("RUN npm ci && npm run build", "node_modules"),
        ("WORKDIR /srv/assets\nRUN npm ci && npm run build\nWORKDIR /srv", "assets/node_modules"),
    ],
    ids=["cd", "pnpm-dir", "workdir-itself", "own-workdir"],
)
def test_the_asset_project_directory_is_followed(build: str, pattern: str) -> None:
    text = NPM_PREFIX.replace(
        "RUN npm --prefix frontend ci && npm --prefix frontend run build", build
    )
    action = actions(text)[0]
    result = assert_properties(text, action)
    assert f"--exclude={pattern} /srv /srv" in result


def test_global_tool_installs_are_not_projects() -> None:
    text = NPM_PREFIX.replace("RUN npm --prefix", "RUN npm install -g yarn@1 && npm --prefix")
    result = assert_properties(text, actions(text)[0])
    assert "--exclude=frontend/node_modules /srv /srv" in result
    assert "--exclude=node_modules" not in result


SLIM = """\
FROM nikolaik/python-nodejs:python3.11-nodejs20-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt && yarn --cwd assets && yarn --cwd assets build
CMD ["python", "app.py"]
"""


def test_slim_builder_runs_on_python_slim_without_node() -> None:
    found = actions(SLIM)
    assert [a.runtime_image for a in found] == ["python:3.11-slim"]
    result = assert_properties(SLIM, found[0])
    assert "--exclude=assets/node_modules /app /app" in result


APT_NODE = """\
FROM python:3.11-bookworm
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm tini \\
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN cd static && npm ci && npm run build
CMD ["python", "app.py"]
"""


def test_apt_node_stays_in_the_builder() -> None:
    action = actions(APT_NODE)[0]
    assert action.runtime_image == "python:3.11-slim-bookworm"
    result = assert_properties(APT_NODE, action)
    runtime = result.split("FROM python:3.11-slim-bookworm", 1)[1]
    assert "install -y --no-install-recommends tini &&" in runtime
    assert "nodejs" not in runtime and " npm" not in runtime
    assert "--exclude=static/node_modules /app /app" in runtime
    assert "Node from nodejs npm" in " ".join(action.warnings)


@pytest.mark.parametrize(
    ("text", "change"),
    [
        (NPM_PREFIX, ('CMD ["gunicorn", "site.wsgi",', 'CMD ["node", "server.js",')),
        (NPM_PREFIX, ('CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]', "CMD yarn start")),
        (NPM_PREFIX, ('CMD ["gunicorn",', 'CMD ["sh", "-c", "npm start",')),
        (APT_NODE, ('CMD ["python", "app.py"]', 'CMD ["npx", "serve"]')),
    ],
    ids=["node", "yarn-shell-form", "sh-c-npm", "apt-npx"],
)
def test_a_container_that_starts_node_is_refused(text: str, change: tuple[str, str]) -> None:
    changed = text.replace(*change)
    assert changed != text
    assert actions(changed) == []
    why = reasons(changed)[0]
    assert "the Python runtime has no Node" in why, why


def test_node_from_elsewhere_started_by_the_container_is_refused() -> None:
    """Node the split cannot see installed (a tarball, another image) but asset builds
    and a container that starts Node: refused all the same."""
    text = APT_NODE.replace("nodejs npm tini", "tini").replace(
        'CMD ["python", "app.py"]', 'CMD ["node", "ssr.js"]'
    )
    assert actions(text) == []
    assert "the Python runtime has no Node;" in reasons(text)[0]


def test_an_unknown_project_directory_is_refused() -> None:
    text = NPM_PREFIX.replace("npm --prefix frontend ci", "npm --prefix $WEB ci")
    assert actions(text) == []
    assert "not known before the build" in reasons(text)[0]


def test_an_old_pinned_frontend_without_copy_exclude_is_refused() -> None:
    text = "# syntax=docker/dockerfile:1.4\n" + NPM_PREFIX
    assert actions(text) == []
    assert "COPY --exclude" in reasons(text)[0]
    current = "# syntax=docker/dockerfile:1\n" + NPM_PREFIX
    assert actions(current)


def test_old_syntax() -> None:
    assert old_syntax("# syntax=docker/dockerfile:1.4\nFROM x\n") == "docker/dockerfile:1.4"
    assert old_syntax("# syntax = docker/dockerfile:1.7-labs\nFROM x\n") is not None
    assert old_syntax("# syntax=docker/dockerfile:1.19\nFROM x\n") is None
    assert old_syntax("# syntax=docker/dockerfile:1\nFROM x\n") is None
    assert old_syntax("FROM x\n# syntax=docker/dockerfile:1.4\n") is None


def test_plain_python_without_assets_is_unchanged() -> None:
    text = NPM_PREFIX.replace(
        "FROM nikolaik/python-nodejs:python3.11-nodejs20-bookworm", "FROM python:3.11-bookworm"
    ).replace("RUN npm --prefix frontend ci && npm --prefix frontend run build\n", "")
    result = assert_properties(text, actions(text)[0])
    assert "COPY --from=build --chown=app /srv /srv" in result
    assert "--exclude" not in result


def test_excluded_patterns_are_relative_to_the_copied_directory() -> None:
    from dockerls.actions.split.assets import AssetBuild

    builds = [AssetBuild(0, "yarn", "/app/web"), AssetBuild(0, "npm ci", "/opt/ui")]
    assert excluded("/app", builds) == ["web/node_modules"]
    assert excluded("/app/web", builds) == ["node_modules"]
    assert excluded("/srv", builds) == []


SAMPLES = {"django": DJANGO, "npm-prefix": NPM_PREFIX, "apt-node": APT_NODE}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_variants_are_split_correctly_or_refused(name: str) -> None:
    check_variants(SAMPLES[name])
