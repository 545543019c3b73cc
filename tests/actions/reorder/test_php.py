"""The reorder for PHP: Composer without scripts first."""

from __future__ import annotations

from tests.actions.reorder.guarantees import context, plan, rewrite


def test_composer_installs_without_scripts_first_and_again_after_the_sources() -> None:
    rewrite(
        "FROM composer:2 AS vendor\nWORKDIR /app\nCOPY . .\n"
        "RUN composer install --no-dev --prefer-dist\n",
        expected="FROM composer:2 AS vendor\nWORKDIR /app\nCOPY composer.* ./\n"
        "RUN composer install --no-dev --prefer-dist --no-scripts --no-autoloader\nCOPY . .\n"
        "RUN composer install --no-dev --prefer-dist\n",
        instructions=6,
    )


COMPOSER_APP = "FROM php:8.2-cli\nWORKDIR /app\nCOPY . .\nRUN composer install --no-dev\n"


def test_the_path_repositories_composer_json_names_are_copied_with_it() -> None:
    rewrite(
        COMPOSER_APP,
        context(
            "composer.json composer.lock",
            "packages src",
            composer_paths=("./packages/*", "packages/tool"),
        ),
        expected="FROM php:8.2-cli\nWORKDIR /app\nCOPY composer.json composer.lock ./\n"
        "COPY packages ./packages/\n"
        "RUN composer install --no-dev --no-scripts --no-autoloader\nCOPY . .\n"
        "RUN composer install --no-dev\n",
        instructions=7,
    )


def test_a_path_repository_outside_the_context_is_explained() -> None:
    found = plan(
        COMPOSER_APP,
        context("composer.json composer.lock", "src", composer_paths=("../shared/lib",)),
    )
    assert not found.actions
    (refusal,) = found.refusals
    assert "`../shared/lib`" in refusal.reason and "inside the build context" in refusal.reason
