"""Split for a program compiled with a C compiler driver (the generic fallback): the
binary a compiler's ``-o`` writes, the one CMD/ENTRYPOINT starts, copied to Debian
slim (Debian builders), the Ubuntu image itself, or the Alpine image itself.

Every offered split goes through ``assert_properties`` (tests/test_split.py).
"""

from __future__ import annotations

import pytest

from dockerls.actions.split.generic import output
from dockerls.edits import apply_edits
from dockerls.shell import parse_shell
from dockerls.syntax import Position
from tests.test_split import actions, assert_properties, check_variants, reasons

HELLO = """\
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \\
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -o /usr/local/bin/hello hello.c
EXPOSE 8080
CMD ["/usr/local/bin/hello"]
"""

HELLO_SPLIT = """\
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \\
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -o /usr/local/bin/hello hello.c

FROM debian:12-slim
WORKDIR /src
RUN useradd --create-home app
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
RUN chown app /src
USER app
EXPOSE 8080
CMD ["/usr/local/bin/hello"]
"""

ALPINE = """\
FROM alpine:3.20
RUN apk add --no-cache g++ make libpq-dev
WORKDIR /app
COPY . .
RUN g++ -std=c++20 -o server main.cpp -lpq
ENTRYPOINT ["./server"]
"""


def test_gcc_on_debian_to_the_slim_image_of_its_release() -> None:
    [action] = actions(HELLO)
    assert action.title == (
        "Split into build and runtime stages (runtime on debian:12-slim — glibc)"
    )
    assert action.ecosystem == "generic"
    assert apply_edits(HELLO, action.edits) == HELLO_SPLIT
    assert any("Only the binary /usr/local/bin/hello" in w for w in action.warnings)
    assert any("more libraries than dockerls knows" in w for w in action.warnings)
    assert action.size_before_mb is not None and action.size_after_mb is not None
    assert action.size_after_mb < action.size_before_mb
    assert_properties(HELLO, action)


def test_release_not_in_the_tag_picks_the_newest_slim() -> None:
    text = HELLO.replace("debian:12", "debian:latest")
    [action] = actions(text)
    assert action.runtime_image == "debian:13-slim"
    assert any("not in its tag" in w for w in action.warnings)
    assert_properties(text, action)


def test_known_dev_package_gets_its_library_and_unknown_ones_a_warning() -> None:
    text = HELLO.replace("build-essential", "build-essential libpq-dev libfoo-dev")
    [action] = actions(text)
    result = assert_properties(text, action)
    assert "apt-get install -y --no-install-recommends libpq5 &&" in result
    assert any("libfoo-dev" in w for w in action.warnings)


def test_cxx_on_alpine_runs_on_the_same_alpine_with_its_libraries() -> None:
    [action] = actions(ALPINE)
    assert action.runtime_image == "alpine:3.20"
    assert action.title.endswith("(runtime on alpine:3.20 — musl)")
    result = assert_properties(ALPINE, action)
    runtime = result.split("\nFROM alpine:3.20\n")[1]
    assert runtime == (
        "WORKDIR /app\n"
        "RUN apk add --no-cache libpq libstdc++\n"
        "RUN adduser -D app\n"
        "COPY --from=build --chown=app /app/server /app/server\n"
        "RUN chown app /app\n"
        "USER app\n"
        'ENTRYPOINT ["./server"]\n'
    )


def test_ubuntu_runs_on_itself_and_bare_names_are_found_on_path() -> None:
    text = HELLO.replace("debian:12", "ubuntu:24.04").replace(
        'CMD ["/usr/local/bin/hello"]', "CMD hello --port 8080"
    )
    text = text.replace("-o /usr/local/bin/hello", "-o/usr/local/bin/hello")
    [action] = actions(text)
    assert action.runtime_image == "ubuntu:24.04"
    result = assert_properties(text, action)
    assert "COPY --from=build /usr/local/bin/hello /usr/local/bin/hello\n" in result


CMD = 'CMD ["/usr/local/bin/hello"]\n'


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            [("RUN gcc -O2 -o /usr/local/bin/hello hello.c", "RUN make install")],
            "A Debian build is split only for a program compiled in it: the program the "
            "container runs, /usr/local/bin/hello, is not written by a compiler's -o",
        ),
        ([(CMD, 'CMD ["/app/server"]\n')], "/app/server, is not written by a compiler's -o"),
        ([(CMD, 'CMD ["hello2"]\n')], "`hello2` in a bin directory on PATH"),
        ([("-o /usr/local/bin/hello", "-o hello")], "/usr/local/bin/hello, is not written"),
        ([("debian:12", "fedora:40")], "Splitting this Fedora build is not supported yet"),
        ([("debian:12", "php:8.3")], "No `composer install` was found"),
        ([(CMD, "")], "No CMD or ENTRYPOINT"),
        ([(CMD, 'CMD ["$BIN"]\n')], "depends on a variable"),
        ([("WORKDIR /src\n", ""), (CMD, 'CMD ["./hello"]\n')], "no WORKDIR"),
    ],
    ids=[
        "make",
        "other-program",
        "not-on-path",
        "relative-output",
        "fedora",
        "php",
        "no-cmd",
        "variable",
        "no-workdir",
    ],
)
def test_refusals_say_why(changes: list[tuple[str, str]], reason: str) -> None:
    text = HELLO
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    assert actions(text) == []
    assert reason in reasons(text)[0], reasons(text)


def test_the_same_path_written_twice_is_one_program() -> None:
    text = HELLO.replace("hello.c\nEXPOSE", "hello.c && gcc -o /usr/local/bin/hello b.c\nEXPOSE")
    [action] = actions(text)
    assert_properties(text, action)


def test_two_programs_the_container_may_run_are_a_reason() -> None:
    text = HELLO.replace('CMD ["/usr/local/bin/hello"]', 'CMD ["hello"]').replace(
        "hello.c\nEXPOSE", "hello.c && gcc -o /usr/bin/hello hello.c\nEXPOSE"
    )
    assert actions(text) == []
    assert "more than one program" in reasons(text)[0]


@pytest.mark.parametrize(
    ("script", "path"),
    [
        ("gcc -O2 -o out a.c", "out"),
        ("gcc -oout a.c", "out"),
        ("cc a.c -lfoo -o /bin/x", "/bin/x"),
        ("gcc -c a.c", None),
        ("gcc a.c -o", "$"),
        ("gcc a.c -o $OUT", "$"),
    ],
)
def test_output_of_a_compiler(script: str, path: str | None) -> None:
    [cmd] = parse_shell(script, lambda offset: Position(0, offset)).commands
    assert output(cmd) == path


@pytest.mark.parametrize("text", [HELLO, ALPINE], ids=["debian", "alpine"])
def test_variants_are_split_correctly_or_refused(text: str) -> None:
    check_variants(text)
