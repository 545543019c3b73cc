"""Split for PHP: ``composer install`` on an official php image, the application with
its ``vendor/`` (production packages only), the built extensions and the libraries they
load copied to the same php image without Composer and the build packages.

Every offered split goes through ``assert_properties`` (tests/test_split.py).
"""

from __future__ import annotations

import pytest

from dockerls.analysis import analyze
from dockerls.edits import apply_edits
from tests.test_split import actions, assert_properties, reasons

CLI = """\
FROM php:8.2-cli
RUN apt-get update && apt-get install -y --no-install-recommends git unzip libpng-dev \\
    && rm -rf /var/lib/apt/lists/*
RUN docker-php-ext-install gd
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
WORKDIR /app
COPY . .
RUN composer install --no-interaction
EXPOSE 8080
CMD ["php", "-S", "0.0.0.0:8080", "-t", "public"]
"""

CLI_SPLIT = """\
FROM php:8.2-cli AS build
RUN apt-get update && apt-get install -y --no-install-recommends git unzip libpng-dev \\
    && rm -rf /var/lib/apt/lists/*
RUN docker-php-ext-install gd
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
WORKDIR /app
COPY . .
RUN composer install --no-dev --no-interaction

FROM php:8.2-cli
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libpng16-16t64 \
&& rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/lib/php/extensions/ /usr/local/lib/php/extensions/
COPY --from=build /usr/local/etc/php/conf.d/ /usr/local/etc/php/conf.d/
COPY --from=build --chown=www-data /app /app
RUN chown www-data /app
USER www-data
EXPOSE 8080
CMD ["php", "-S", "0.0.0.0:8080", "-t", "public"]
"""


def test_cli_with_an_extension_to_the_same_image() -> None:
    found = actions(CLI)
    assert [a.title for a in found] == [
        "Split into build and runtime stages "
        "(runtime on php:8.2-cli — same image, no Composer or build packages)"
    ]
    (action,) = found
    assert action.ecosystem == "php"
    assert apply_edits(CLI, action.edits) == CLI_SPLIT
    assert_properties(CLI, action)
    notes = "\n".join(action.warnings)
    for said in ("--no-dev", "--optimize-autoloader is not added", "libpng16-16t64", "php -m"):
        assert said in notes, said
    assert "php:8.2-cli names no Debian release" in notes
    assert "DKL201 still reports php:8.2-cli" in notes
    # what the split removes from what ships is gone; the full base is explained above
    final = [f.code for f in analyze(CLI_SPLIT).findings if f.span.start.line >= 9]
    assert not {"DKL202", "DKL203", "DKL204"} & set(final)


APACHE = """\
FROM php:8.2-apache
RUN apt-get update && apt-get install -y --no-install-recommends composer git unzip libzip-dev \\
    && docker-php-ext-install zip && rm -rf /var/lib/apt/lists/*
WORKDIR /var/www/html
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts
COPY . .
"""


def test_a_release_in_the_tag_names_its_libraries() -> None:
    text = CLI.replace("php:8.2-cli", "php:8.2-cli-bookworm")
    (action,) = actions(text)
    result = assert_properties(text, action)
    assert "install -y --no-install-recommends libpng16-16 &&" in result
    assert not any("names no Debian release" in n for n in action.warnings)


def test_apache_with_composer_from_apt_keeps_root_and_leaves_composer_behind() -> None:
    (action,) = actions(APACHE)
    result = assert_properties(APACHE, action)
    runtime = result.split("FROM php:8.2-apache\n")[1]
    assert runtime.startswith(
        "WORKDIR /var/www/html\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends libzip5 "
        "&& rm -rf /var/lib/apt/lists/*\n"
    )
    assert "composer" not in runtime and "USER" not in runtime
    assert "COPY --from=build /var/www/html /var/www/html\n" in runtime
    notes = "\n".join(action.warnings)
    assert "production-only already" in notes
    assert "apache drops to www-data itself" in notes
    assert "DKL201" not in notes  # the apache image is not a full base


SETUP = """\
FROM php:8.3-cli
WORKDIR /srv
RUN php -r "copy('https://getcomposer.org/installer', 'composer-setup.php');" \\
    && php composer-setup.php --install-dir=/usr/local/bin --filename=composer \\
    && rm composer-setup.php
COPY . .
RUN php /usr/local/bin/composer install
CMD ["php", "bin/console"]
"""


def test_composer_setup_and_php_composer_install() -> None:
    (action,) = actions(SETUP)
    result = assert_properties(SETUP, action)
    assert "RUN php /usr/local/bin/composer install --no-dev\n" in result
    runtime = result.split("FROM php:8.3-cli\n")[1]
    assert "extensions" not in runtime  # nothing was compiled
    assert "COPY --from=build --chown=www-data /srv /srv\n" in runtime


ALPINE = """\
FROM php:8.2-fpm-alpine
RUN apk add --no-cache libzip-dev icu-dev git && docker-php-ext-install zip intl
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
WORKDIR /var/www
COPY . .
RUN composer install --prefer-dist
EXPOSE 9000
CMD ["php-fpm"]
"""


def test_alpine_fpm_installs_its_libraries_with_apk() -> None:
    (action,) = actions(ALPINE)
    result = assert_properties(ALPINE, action)
    runtime = result.split("FROM php:8.2-fpm-alpine\n")[1]
    assert runtime.startswith("WORKDIR /var/www\nRUN apk add --no-cache libzip icu-libs\n")
    assert "USER" not in runtime
    assert "DKL201" not in "\n".join(action.warnings)


def test_low_port_keeps_root() -> None:
    text = CLI.replace("EXPOSE 8080", "EXPOSE 80")
    (action,) = actions(text)
    assert "USER www-data" not in assert_properties(text, action)
    assert any("below port 1024" in n for n in action.warnings)


def test_the_original_user_is_kept() -> None:
    text = CLI.replace("EXPOSE 8080", "USER www-data\nEXPOSE 8080")
    (action,) = actions(text)
    result = assert_properties(text, action)
    assert result.count("USER www-data") == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("RUN composer install --no-interaction\n", ""), "No `composer install` was found"),
        (("composer install", "composer update"), "`composer update` on line 8 resolves"),
        (
            (
                "RUN composer install --no-interaction\n",
                "RUN composer install\nRUN vendor/bin/phpunit\n",
            ),
            "a later step seems to need",
        ),
        (("WORKDIR /app\nCOPY . .\n", "COPY . /app\n"), "no WORKDIR"),
        (("--no-interaction", "-d /opt/deps"), "writes /opt/deps/vendor, outside"),
        (("RUN composer install", "RUN cd sub && composer install"), "changes directory"),
    ],
    ids=[
        "no-install",
        "update",
        "tests-after",
        "no-workdir",
        "vendor-outside",
        "cd",
    ],
)
def test_refusals_say_why(change: tuple[str, str], reason: str) -> None:
    text = CLI.replace(*change)
    assert text != CLI
    assert actions(text) == []
    (said,) = reasons(text)
    assert reason in said, said


def test_a_container_that_starts_composer() -> None:
    """Composer copied from its image comes along (carry_tools); one installed by apt
    cannot."""
    start = ('CMD ["php", "-S", "0.0.0.0:8080", "-t", "public"]', 'CMD ["composer", "start"]')
    text = CLI.replace(*start)
    (action,) = actions(text)
    runtime = assert_properties(text, action).split("FROM php:8.2-cli\n")[1]
    assert "COPY --from=composer:2 /usr/bin/composer /usr/bin/composer\n" in runtime
    text = APACHE + 'CMD ["composer", "start"]\n'
    assert actions(text) == []
    assert reasons(text) == ["The container starts Composer, which the runtime does not have."]


def test_acls_set_in_the_builder_are_named_in_the_notes() -> None:
    text = CLI.replace(
        "RUN composer install --no-interaction\n",
        "RUN composer install --no-interaction\nRUN setfacl -R -m u:www-data:rwX ./cache\n",
    )
    (action,) = actions(text)
    assert_properties(text, action)
    assert any(n.startswith("setfacl (line 9)") for n in action.warnings)
    assert not any("setfacl" in n for n in actions(CLI)[0].warnings)


def test_apache_modules_enabled_in_the_builder_are_copied() -> None:
    text = APACHE.replace(
        "docker-php-ext-install zip", "docker-php-ext-install zip && a2enmod rewrite"
    )
    (action,) = actions(text)
    runtime = assert_properties(text, action).split("FROM php:8.2-apache\n")[1]
    assert "COPY --from=build /etc/apache2/mods-enabled/ /etc/apache2/mods-enabled/\n" in runtime
    assert "sites-enabled" not in runtime
    assert any("a2enmod" in n for n in action.warnings)
    text = APACHE + "RUN a2dissite 000-default\n"
    assert actions(text) == []
    assert reasons(text)[0].startswith("`a2dissite` on line 8 removes Apache configuration")
