"""The reorder for Ruby: Bundler."""

from __future__ import annotations

from tests.actions.reorder.guarantees import context, rewrite


def test_bundler() -> None:
    rewrite(
        "FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nRUN bundle install --jobs 4\n",
        context("Gemfile Gemfile.lock config.ru"),
        expected="FROM ruby:3.3\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\n"
        "RUN bundle install --jobs 4\nCOPY . .\n",
        instructions=5,
    )


def test_vendored_gems_come_with_the_gemfile() -> None:
    rewrite(
        "FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nRUN bundle install --local\n",
        context("Gemfile Gemfile.lock config.ru", "vendor app"),
        expected="FROM ruby:3.3\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\n"
        "COPY vendor ./vendor/\nRUN bundle install --local\nCOPY . .\n",
        instructions=6,
    )
