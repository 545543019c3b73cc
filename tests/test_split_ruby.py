"""Split for Ruby: ``bundle install`` on an official ruby image, the gems and the
application copied to the slim image of the same Ruby and Debian release, with Bundler's
production settings (BUNDLE_WITHOUT, BUNDLE_DEPLOYMENT) set in both stages.

Every offered split goes through ``assert_properties`` (tests/test_split.py).
"""

from __future__ import annotations

import pytest

from dockerls.analysis import analyze
from dockerls.context import BuildContext
from dockerls.edits import apply_edits
from tests.test_split import actions, assert_properties, reasons

LOCKED = BuildContext(known=True, files=frozenset({"Gemfile", "Gemfile.lock", "server.rb"}))
UNLOCKED = BuildContext(known=True, files=frozenset({"Gemfile", "server.rb"}))

SERVER = """\
FROM ruby:3.1-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev \\
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN bundle install
EXPOSE 8080
CMD ["bundle", "exec", "ruby", "server.rb"]
"""

SERVER_SPLIT = """\
FROM ruby:3.1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev \\
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
ENV BUNDLE_WITHOUT=development:test BUNDLE_DEPLOYMENT=1
RUN bundle install

FROM ruby:3.1-slim-bookworm
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
&& rm -rf /var/lib/apt/lists/*
RUN useradd --create-home app
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY --from=build --chown=app /app /app
ENV BUNDLE_WITHOUT=development:test BUNDLE_DEPLOYMENT=1
RUN chown app /app
USER app
EXPOSE 8080
CMD ["bundle", "exec", "ruby", "server.rb"]
"""


def test_full_image_to_slim_of_the_same_release_with_production_settings() -> None:
    found = actions(SERVER, LOCKED)
    assert [a.title for a in found] == [
        "Split into build and runtime stages (runtime on ruby:3.1-slim-bookworm)"
    ]
    (action,) = found
    assert action.ecosystem == "ruby"
    assert apply_edits(SERVER, action.edits) == SERVER_SPLIT
    assert_properties(SERVER, action, LOCKED)
    notes = "\n".join(action.warnings)
    for said in (
        "/usr/local/bundle, /app/vendor/bundle",  # the gems: GEM_HOME and deployment's path
        "BUNDLE_WITHOUT=development:test",
        "BUNDLE_DEPLOYMENT=1 installs exactly what Gemfile.lock says",
        "--add-platform x86_64-linux",
        "ENV rather than `bundle config set --local`",
        "ships C libraries",  # the full image's libpq and friends
        "The runtime runs as app",
    ):
        assert said in notes, said
    # what ships has no development gems, no toolchain, no single-stage build
    final = [f.code for f in analyze(SERVER_SPLIT, context=LOCKED).findings]
    assert not {"DKL202", "DKL203", "DKL204"} & set(final)


def test_without_a_lockfile_there_is_no_deployment() -> None:
    (action,) = actions(SERVER, UNLOCKED)
    result = assert_properties(SERVER, action, UNLOCKED)
    assert result.count("ENV BUNDLE_WITHOUT=development:test\n") == 2
    assert "BUNDLE_DEPLOYMENT" not in result
    notes = "\n".join(action.warnings)
    assert "no Gemfile.lock is copied before the install" in notes
    assert "(/usr/local/bundle)" in notes


def test_an_unread_build_context_leaves_deployment_out_and_says_so() -> None:
    (action,) = actions(SERVER)
    result = assert_properties(SERVER, action)
    assert "BUNDLE_DEPLOYMENT" not in result
    assert any("the build context was not read" in n for n in action.warnings)


MANIFESTS_FIRST = """\
FROM ruby:3.3-slim
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \\
    libsqlite3-dev libxml2-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/app
COPY Gemfile Gemfile.lock ./
RUN bundle install --jobs 4
COPY . .
RUN bundle exec rake assets:precompile
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
"""


def test_slim_builder_runs_on_itself_and_precompiled_assets_come_along() -> None:
    (action,) = actions(MANIFESTS_FIRST)
    assert action.runtime_image == "ruby:3.3-slim"
    assert action.title.endswith("(runtime on ruby:3.3-slim — same image, no build packages)")
    result = assert_properties(MANIFESTS_FIRST, action)
    assert (
        "COPY Gemfile Gemfile.lock ./\n"
        "ENV BUNDLE_WITHOUT=development:test BUNDLE_DEPLOYMENT=1\n"
        "RUN bundle install --jobs 4\n"
    ) in result
    runtime = result.split("FROM ruby:3.3-slim\n")[1]
    assert "build-essential" not in runtime and "apt-get" not in runtime
    assert "COPY --from=build --chown=app /srv/app /srv/app\n" in runtime
    notes = "\n".join(action.warnings)
    assert "asset precompilation runs in the builder" in notes
    # libsqlite3-dev and libxml2-dev have no known run-time library here: named
    assert "libsqlite3-dev, libxml2-dev" in notes
    assert "ships C libraries" not in notes  # a slim builder has none to lose


def test_alpine_builder_installs_its_libraries_with_apk() -> None:
    text = MANIFESTS_FIRST.replace("ruby:3.3-slim", "ruby:3.3-alpine").replace(
        "apt-get update && apt-get install -y --no-install-recommends build-essential \\\n"
        "    libsqlite3-dev libxml2-dev && rm -rf /var/lib/apt/lists/*",
        "apk add --no-cache build-base postgresql-dev",
    )
    (action,) = actions(text)
    result = assert_properties(text, action)
    runtime = result.split("FROM ruby:3.3-alpine\n")[1]
    assert runtime.startswith(
        "WORKDIR /srv/app\nRUN apk add --no-cache libpq\nRUN adduser -D app\n"
    )


def test_a_tag_without_release_names_libraries_as_the_newest_debian() -> None:
    text = SERVER.replace("ruby:3.1-bookworm", "ruby:3.3").replace("libpq-dev", "libpng-dev")
    (action,) = actions(text, LOCKED)
    assert action.runtime_image == "ruby:3.3-slim"
    result = assert_properties(text, action, LOCKED)
    assert "--no-install-recommends libpng16-16t64 &&" in result
    assert any("ruby:3.3 names no Debian release" in n for n in action.warnings)


def test_an_unpinned_ruby_is_named() -> None:
    text = SERVER.replace("ruby:3.1-bookworm", "ruby")
    (action,) = actions(text, LOCKED)
    assert action.runtime_image == "ruby:slim"
    assert any("does not pin a Ruby version" in n for n in action.warnings)


RAILS = """\
FROM ruby:3.2-bookworm
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN bin/rails assets:precompile
EXPOSE 3000
CMD ["rails", "server", "-b", "0.0.0.0"]
"""


def test_gem_programs_started_without_bundle_exec_keep_the_gems_on_path() -> None:
    (action,) = actions(RAILS)
    result = assert_properties(RAILS, action)
    assert "BUNDLE_DEPLOYMENT" not in result
    assert result.count("ENV BUNDLE_WITHOUT=development:test\n") == 2
    notes = "\n".join(action.warnings)
    assert "a later RUN runs `bin/rails assets:precompile` without `bundle exec`" in notes
    text = RAILS.replace("RUN bin/rails assets:precompile\n", "")
    (action,) = actions(text)
    assert any("the container starts `rails server`" in n for n in action.warnings)


CONFIGURED = """\
FROM ruby:3.1-bookworm
ENV BUNDLE_WITHOUT=development
WORKDIR /app
COPY . .
RUN bundle config set --local deployment true && bundle install
USER nobody
CMD ["bundle", "exec", "ruby", "app.rb"]
"""


def test_what_the_file_configures_itself_is_kept_and_not_added() -> None:
    (action,) = actions(CONFIGURED, LOCKED)
    result = assert_properties(CONFIGURED, action, LOCKED)
    runtime = result.split("FROM ruby:3.1-slim-bookworm\n")[1]
    assert runtime.startswith("ENV BUNDLE_WITHOUT=development\nWORKDIR /app\n")
    assert "BUNDLE_DEPLOYMENT" not in result and "useradd" not in runtime
    assert "USER nobody\n" in runtime
    notes = "\n".join(action.warnings)
    assert "leaves out development gems already" in notes
    # the --local deployment writes BUNDLE_APP_CONFIG (/usr/local/bundle), copied with the gems
    assert "COPY --from=build /usr/local/bundle /usr/local/bundle\n" in runtime


def test_a_bundle_path_outside_the_application_is_copied() -> None:
    text = SERVER.replace("WORKDIR /app\n", "ENV BUNDLE_PATH=/gems\nWORKDIR /app\n")
    (action,) = actions(text, LOCKED)
    result = assert_properties(text, action, LOCKED)
    assert "COPY --from=build /gems /gems\n" in result
    assert any("(/usr/local/bundle, /gems)" in n for n in action.warnings)


CORPUS_LIKE = """\
FROM ruby:3.0.0
RUN bundle config --global frozen 1
RUN gem install bundler --no-document -v 2.2.17
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle check || bundle install
COPY . /app
CMD ["bundle", "exec", "rails", "server"]
"""


def test_global_build_settings_stay_in_the_builder() -> None:
    (action,) = actions(CORPUS_LIKE)
    result = assert_properties(CORPUS_LIKE, action)
    assert "ENV BUNDLE_WITHOUT=development:test\nRUN bundle check || bundle install\n" in result
    assert "BUNDLE_DEPLOYMENT" not in result  # frozen: the file chose a locked install
    assert action.runtime_image == "ruby:3.0.0-slim"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("RUN bundle install", "RUN bundle update"), "`bundle update` on line 6 changes"),
        (
            ("RUN bundle install", "RUN bundle install && bundle exec rspec"),
            "`rspec` runs after the bundle install",
        ),
        (
            ("RUN bundle install", "RUN bundle install\nRUN bundle exec rake test"),
            "`rake test` runs after the bundle install",
        ),
        (("RUN bundle install", "RUN gem install sinatra"), "No `bundle install` was found"),
        (("RUN bundle install", "RUN cd /app && bundle install"), "changes directory with `cd`"),
        (
            ("RUN bundle install", "RUN bundle config set without test && bundle install"),
            "sets `without` in the building user's own ~/.bundle/config",
        ),
        (("RUN bundle install", "RUN (bundle install)"), "is not a plain command"),
        (
            ("WORKDIR /app\n", "ENV BUNDLE_PATH=$HOME/gems\nWORKDIR /app\n"),
            "is not known",
        ),
    ],
)
def test_refusals_say_why(change: tuple[str, str], reason: str) -> None:
    text = SERVER.replace(*change)
    assert actions(text, LOCKED) == []
    (said,) = reasons(text, LOCKED)
    assert reason in said, said


def test_the_deprecated_rails_image_is_refused_with_the_way_out() -> None:
    text = 'FROM rails:onbuild\nCOPY . /usr/src/app\nRUN bundle install\nCMD ["rails", "s"]\n'
    assert actions(text) == []
    (said,) = reasons(text)
    assert "deprecated rails image" in said and "FROM ruby:<version>" in said


def test_the_settings_go_above_the_comments_that_speak_of_the_install() -> None:
    text = SERVER.replace(
        "RUN bundle install\n", "# vendored gems\n  # (no network)\nRUN bundle install --local\n"
    )
    (action,) = actions(text, LOCKED)
    result = assert_properties(text, action, LOCKED)
    assert (
        "COPY . .\nENV BUNDLE_WITHOUT=development:test BUNDLE_DEPLOYMENT=1\n"
        "# vendored gems\n  # (no network)\nRUN bundle install --local\n"
    ) in result


def test_an_install_outside_the_final_directory_keeps_the_gems_in_gem_home() -> None:
    text = """\
FROM ruby:3.1-bookworm
WORKDIR /tmp/deps
COPY Gemfile Gemfile.lock ./
RUN bundle install
WORKDIR /app
COPY . .
CMD ["bundle", "exec", "ruby", "app.rb"]
"""
    (action,) = actions(text)
    result = assert_properties(text, action)
    assert "BUNDLE_DEPLOYMENT" not in result
    assert any("the install runs in /tmp/deps" in n for n in action.warnings)
    runtime = result.split("FROM ruby:3.1-slim-bookworm\n")[1]
    assert "COPY --from=build /tmp/deps /tmp/deps\n" in runtime  # its Gemfile, as copied


def test_a_test_image_is_not_split() -> None:
    text = SERVER.replace(
        'CMD ["bundle", "exec", "ruby", "server.rb"]', 'CMD ["bundle", "exec", "rspec"]'
    )
    assert actions(text, LOCKED) == []
    (said,) = reasons(text, LOCKED)
    assert "The container runs the tests (`rspec`)" in said


@pytest.mark.parametrize(
    ("builder", "runtime"),
    [
        ("ruby:3.1-bullseye", "ruby:3.1-slim-bullseye"),
        ("ruby:3.3.5-bookworm", "ruby:3.3.5-slim-bookworm"),
        ("ruby:3.2-slim-bookworm", "ruby:3.2-slim-bookworm"),
    ],
)
def test_the_runtime_keeps_the_ruby_version_and_debian_release(builder: str, runtime: str) -> None:
    text = SERVER.replace("ruby:3.1-bookworm", builder)
    (action,) = actions(text, LOCKED)
    assert action.runtime_image == runtime
    result = assert_properties(text, action, LOCKED)
    assert f"FROM {runtime}\n" in result
    assert "--no-install-recommends libpq5 " in result
