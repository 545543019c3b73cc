"""The reorder for PHP: Composer without scripts first."""

from __future__ import annotations

from tests.actions.reorder.guarantees import rewrite


def test_composer_installs_without_scripts_first_and_again_after_the_sources() -> None:
    rewrite(
        "FROM composer:2 AS vendor\nWORKDIR /app\nCOPY . .\n"
        "RUN composer install --no-dev --prefer-dist\n",
        expected="FROM composer:2 AS vendor\nWORKDIR /app\nCOPY composer.* ./\n"
        "RUN composer install --no-dev --prefer-dist --no-scripts --no-autoloader\nCOPY . .\n"
        "RUN composer install --no-dev --prefer-dist\n",
        instructions=6,
    )
