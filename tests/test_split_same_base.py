"""Split on a base image dockerls does not know (``same_base.py``): the runtime is FROM the
same image and receives the application with its production-only ``vendor/``, without the
``node_modules`` of an asset build; otherwise a reason naming what stops it.

Every offered split goes through ``assert_properties`` (tests/test_split.py).
"""

from __future__ import annotations

import pytest

from dockerls.actions.offers import split_title
from dockerls.edits import apply_edits
from tests.test_split import actions, assert_properties, reasons

PHP_NODE = """\
FROM acme/php-node:8.2
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-interaction
COPY . .
RUN npm ci && npm run build
EXPOSE 8080
CMD ["php", "-S", "0.0.0.0:8080", "-t", "public"]
"""

PHP_NODE_SPLIT = """\
FROM acme/php-node:8.2 AS build
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-interaction
COPY . .
RUN npm ci && npm run build

FROM build AS deps
RUN rm -rf /app/node_modules

FROM acme/php-node:8.2
WORKDIR /app
COPY --from=deps /app /app
EXPOSE 8080
CMD ["php", "-S", "0.0.0.0:8080", "-t", "public"]
"""


def test_the_runtime_is_the_same_base_without_node_modules_and_dev_packages() -> None:
    [action] = actions(PHP_NODE)
    assert apply_edits(PHP_NODE, action.edits) == PHP_NODE_SPLIT
    assert_properties(PHP_NODE, action)
    assert action.runtime_image == "acme/php-node:8.2"
    assert action.ecosystem == "php"
    assert (action.size_before_mb, action.size_after_mb) == (None, None)
    # no invented numbers: the title says the base is unknown and that nothing is estimated
    assert split_title(action, PHP_NODE) == (
        "Split into build and runtime stages (runtime on acme/php-node:8.2 — the same base, "
        "unknown to dockerls: no size estimate)"
    )
    assert action.warnings[:3] == (
        "dockerls does not know acme/php-node:8.2, so the runtime is that same image (what it "
        "provides, its command, entrypoint and users are unknown): the gain is only what the "
        "build added (Composer's development packages, node_modules, the caches and what the "
        "file installed to build), and no size can be estimated.",
        "To go further, rebase on a slimmer image with the same libc and tools as "
        "acme/php-node:8.2: the file runs no package manager, so its distribution is not "
        "known.",
        "The runtime receives /app from the builder (vendor/ included, node_modules left "
        "out): files the application reads elsewhere must be copied too.",
    )
    assert (
        "node_modules (/app/node_modules) is removed in a stage FROM the builder and left out: "
        "the Node install on line 6 serves the build only (the container's command starts no "
        "Node tool); the build's output inside the application directories is kept."
    ) in action.warnings


@pytest.mark.parametrize(
    ("install", "names"),
    [
        ("RUN apt-get update && apt-get install -y git unzip", "Debian or Ubuntu (glibc)"),
        ("RUN apk add --no-cache git", "Alpine (musl)"),
    ],
)
def test_the_package_manager_names_where_a_slimmer_image_is(install: str, names: str) -> None:
    text = PHP_NODE.replace("WORKDIR /app\n", f"{install}\nWORKDIR /app\n")
    [action] = actions(text)
    assert_properties(text, action)
    manager = "apk" if "apk" in install else "apt"
    libc = "musl" if "apk" in install else "glibc"
    short = names.split(" (", maxsplit=1)[0]
    assert (
        f"To go further, rebase the runtime on a slimmer {short} image with what "
        f"the application needs: the file installs with {manager}, so acme/php-node:8.2 is "
        f"{names}, and code built for {libc} needs the same libc."
    ) in action.warnings


def test_composer_alone_copies_the_application_from_the_builder() -> None:
    text = PHP_NODE.replace("RUN npm ci && npm run build\n", "")
    [action] = actions(text)
    result = apply_edits(text, action.edits)
    assert "AS deps" not in result
    assert result.endswith(
        "FROM acme/php-node:8.2\nWORKDIR /app\nCOPY --from=build /app /app\nEXPOSE 8080\n"
        'CMD ["php", "-S", "0.0.0.0:8080", "-t", "public"]\n'
    )
    assert_properties(text, action)


def test_no_cmd_means_the_base_command_is_taken_to_serve_php() -> None:
    text = PHP_NODE.replace('EXPOSE 8080\nCMD ["php", "-S", "0.0.0.0:8080", "-t", "public"]\n', "")
    [action] = actions(text)
    assert_properties(text, action)
    assert any(
        "the file has no CMD or ENTRYPOINT: the base image's own command is taken to serve the "
        "PHP application without Node" in w
        for w in action.warnings
    )


def test_the_user_and_a_configuring_run_are_kept() -> None:
    text = PHP_NODE.replace("EXPOSE 8080\n", "RUN mkdir -p /var/log/app\nUSER 1000\nEXPOSE 8080\n")
    [action] = actions(text)
    result = apply_edits(text, action.edits)
    runtime = result.split("FROM acme/php-node:8.2\n")[1]
    assert "RUN mkdir -p /var/log/app\n" in runtime
    assert runtime.index("USER 1000") > runtime.index("COPY --from=deps")
    assert_properties(text, action)
    assert "The runtime keeps the original's USER." in action.warnings
    [plain] = actions(PHP_NODE)
    assert plain.warnings[-1] == (
        "The runtime starts as the original did: as the base image's own user."
    )


REFUSED = "The base image acme/php-node:8.2 is not in dockerls's image knowledge"


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        (  # Node that the container runs
            'CMD ["php", "-S", "0.0.0.0:8080", "-t", "public"]',
            'CMD ["node", "server.js"]',
            "The container starts `node`, which needs the node_modules the Node install on "
            "line 6 makes; on an unknown base the split keeps only a PHP application's vendor/.",
        ),
        (  # no Composer: nothing the split knows how to give apart
            "RUN composer install --no-interaction\n",
            "",
            REFUSED + "; on such a base only a PHP application's `composer install` is split, "
            "and this file installs with npm (line 5): build FROM an image dockerls knows to "
            "split it.",
        ),
        (
            "RUN composer install --no-interaction\nCOPY . .\nRUN npm ci && npm run build\n",
            "COPY . .\nRUN apt-get install -y gcc && gcc -o /usr/local/bin/app main.c\n",
            REFUSED + ", and the file shows no dependency install the runtime could be given "
            "apart from the base (a `composer install`).",
        ),
        (
            "RUN composer install --no-interaction\nCOPY . .\nRUN npm ci && npm run build\n",
            "COPY . .\nRUN bundle install\n",
            REFUSED + ", and the Bundler install on line 5 puts the gems where its Ruby keeps "
            "them, which dockerls cannot tell; splitting a Ruby build is not supported yet.",
        ),
        (  # installs into the base's own directories: the same base would not have them
            "WORKDIR /app\n",
            "RUN pip install --no-cache-dir supervisor\nWORKDIR /app\n",
            REFUSED + ": `pip install` on line 2 installs into the base's own directories, "
            "which a runtime FROM the same base would not receive.",
        ),
        (
            "WORKDIR /app\n",
            "RUN npm install -g pm2\nWORKDIR /app\n",
            REFUSED + ": `npm install -g` on line 2 installs into the base's own directories, "
            "which a runtime FROM the same base would not receive.",
        ),
        (
            "WORKDIR /app\n",
            "RUN composer global require laravel/installer\nWORKDIR /app\n",
            REFUSED + ": `composer global` on line 2 installs into the base's own directories, "
            "which a runtime FROM the same base would not receive.",
        ),
        (  # the base's own directories, which the split cannot name
            "WORKDIR /app\n",
            "RUN docker-php-ext-install pdo_mysql\nWORKDIR /app\n",
            REFUSED + ": `docker-php-ext-install` on line 2 writes into the base's own "
            "directories, which dockerls does not know there, so the runtime cannot be given "
            "what it made.",
        ),
        (
            "RUN composer install --no-interaction",
            "RUN composer update",
            "`composer update` on line 4 resolves versions during the build; commit "
            "composer.lock and run `composer install`.",
        ),
        (  # the checks every split makes still hold
            "WORKDIR /app\n",
            "WORKDIR /app\nUSER www-data\n",
            "USER on line 3 runs before build steps, which depend on it; the split would "
            "change who builds.",
        ),
    ],
)
def test_what_the_same_base_split_cannot_do_is_refused(old: str, new: str, reason: str) -> None:
    text = PHP_NODE.replace(old, new)
    assert actions(text) == []
    assert reasons(text) == [reason]


def test_a_known_base_is_not_planned_here() -> None:
    text = PHP_NODE.replace("acme/php-node:8.2", "php:8.2-cli-bookworm").replace(
        "RUN npm ci && npm run build\n", ""
    )
    [action] = actions(text)
    assert action.runtime_image == "php:8.2-cli-bookworm"
    assert not any("does not know" in w for w in action.warnings)
