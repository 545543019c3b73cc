"""The shell layer: commands, words and their exact source spans.

Expected positions come from ``⟨`` ``⟩`` markers in the text, never from counted columns.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerls.shell import (
    Command,
    Script,
    Word,
    active_shell,
    is_posix_shell,
    parse_shell,
    script_of,
)
from dockerls.syntax import ExecForm, Instruction, Position, Span, Token, parse

# -- helpers -------------------------------------------------------------------


def unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The text without its ``⟨…⟩`` markers, and the marked ranges in order."""
    text: list[str] = []
    ranges: list[tuple[int, int]] = []
    opened = 0
    for char in marked:
        if char == "⟨":
            opened = len(text)
        elif char == "⟩":
            ranges.append((opened, len(text)))
        else:
            text.append(char)
    return "".join(text), ranges


class Source:
    """Offsets ↔ positions in a multi-line text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self.starts.append(index + 1)

    def locate(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset) - 1
        return Position(line, offset - self.starts[line])

    def offset(self, pos: Position) -> int:
        return self.starts[pos.line] + pos.column

    def range(self, span: Span) -> tuple[int, int]:
        return self.offset(span.start), self.offset(span.end)

    def cut(self, span: Span) -> str:
        start, end = self.range(span)
        return self.text[start:end]


def shell(marked: str) -> tuple[Script, Source, list[tuple[int, int]]]:
    text, ranges = unmark(marked)
    source = Source(text)
    return parse_shell(text, source.locate), source, ranges


def argvs(script: Script) -> list[list[str]]:
    return [[w.text for w in cmd.argv] for cmd in script.commands]


def dockerfile(marked: str) -> tuple[list[Script], Source, list[tuple[int, int]]]:
    text, ranges = unmark(marked)
    doc = parse(text)
    return [script_of(ins) for ins in doc.instructions], Source(text), ranges


def all_spans(script: Script) -> Iterator[Span]:
    for assignment in script.assignments:
        yield assignment.span
    for cmd in script.commands:
        yield cmd.span
        for word in (*cmd.argv, *cmd.prefix_words):
            yield word.span
        for assignment in cmd.assignments:
            yield assignment.span
            if assignment.value is not None:
                yield assignment.value.span
        for redirect in cmd.redirects:
            yield redirect.span
            if redirect.target is not None:
                yield redirect.target.span


# -- splitting -----------------------------------------------------------------


def test_lists_pipelines_and_newlines_split_into_commands() -> None:
    script, source, ranges = shell("⟨a 1⟩ && ⟨b⟩ || ⟨c⟩; ⟨d⟩ | ⟨e⟩\n⟨f⟩ & ⟨g⟩")
    assert argvs(script) == [["a", "1"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"]]
    assert [c.connector for c in script.commands] == [None, "&&", "||", ";", "|", "\n", "&"]
    assert [source.range(c.span) for c in script.commands] == ranges
    assert not script.has_error


def test_groups_and_control_flow_are_flattened() -> None:
    script, _, _ = shell(
        "{ a; b; } && (c) || if d; then e; elif f; then g; else h; fi\n"
        "for x in 1 2; do i $x; done; while j; do k; done; until l; do m; done\n"
        "fn() { n; }; ! o"
    )
    assert [c.name for c in script.commands] == list("abcdefghijklmno")
    conditions = {c.name for c in script.commands if c.in_condition}
    assert conditions == {"d", "f", "j", "l"}
    assert [c.name for c in script.commands if c.in_subshell] == ["c"]


def test_case_arms_like_an_official_image() -> None:
    script, source, ranges = shell(
        'set -eux; arch="$(⟨dpkg⟩ --print-architecture)"; '
        'case "${arch##*-}" in '
        "amd64) ARCH='x64';; arm64) ARCH='arm64';; "
        '*) ⟨echo⟩ "unsupported architecture: $arch"; exit 1 ;; '
        "esac; ⟨curl⟩ -fsSLO https://example.org/node-$ARCH.tar.xz"
    )
    assert [c.name for c in script.commands] == ["set", "dpkg", "echo", "exit", "curl"]
    dpkg, echo = script.commands[1], script.commands[2]
    assert dpkg.in_substitution
    assert source.range(dpkg.argv[0].span) == ranges[0]
    assert source.range(echo.argv[0].span) == ranges[1]
    assert echo.argv[1].text == "unsupported architecture: $arch"
    assert echo.argv[1].dynamic
    assert [(a.name, a.value and a.value.text) for a in script.assignments] == [
        ("arch", "$(dpkg --print-architecture)"),
        ("ARCH", "x64"),
        ("ARCH", "arm64"),
    ]
    assert script.commands[-1].argv[2].dynamic


def test_substitution_commands_come_before_their_command() -> None:
    script, _, _ = shell("apt-get install $(cat /pkgs) `echo x` && rm <(ls) x")
    assert [(c.name, c.in_substitution) for c in script.commands] == [
        ("cat", True),
        ("echo", True),
        ("apt-get", False),
        ("ls", True),
        ("rm", False),
    ]
    assert [c.connector for c in script.commands] == [None, None, None, None, "&&"]


def test_set_eux_prefix_is_an_ordinary_command() -> None:
    script, _, _ = shell("set -eux; apt-get update")
    assert argvs(script) == [["set", "-eux"], ["apt-get", "update"]]
    assert script.commands[1].connector == ";"


# -- words -----------------------------------------------------------------------


def test_quotes_escapes_and_expansions() -> None:
    script, source, ranges = shell(
        'echo ⟨"a b"⟩ ⟨\'c d\'⟩ ⟨e\\ f⟩ ⟨$\'x\\ty\'⟩ ⟨"q\\"uote\\n"⟩ '
        '⟨pre"$V"post⟩ ⟨${X:-y}⟩ ⟨"$(date "+%s")"⟩'
    )
    date, cmd = script.commands
    assert date.in_substitution
    words = cmd.args
    assert [w.text for w in words] == [
        "a b",
        "c d",
        "e f",
        "x\ty",
        'q"uote\\n',
        "pre$Vpost",
        "${X:-y}",
        '$(date "+%s")',
    ]
    assert [w.dynamic for w in words] == [False] * 5 + [True] * 3
    assert [source.range(w.span) for w in words] == ranges
    assert [w.raw for w in words] == [source.text[a:b] for a, b in ranges]


def test_ansi_c_escapes() -> None:
    script, _, _ = shell("printf $'\\x41\\101\\u00e9\\q\\'' ")
    assert script.commands[0].argv[1].text == "AAé\\q'"


def test_non_ascii_before_a_token_counts_code_points() -> None:
    script, source, ranges = shell(
        'echo "héllo wörld 🐳" && ⟨apt-get⟩ install ⟨ünï⟩\n⟨🐳⟩ ⟨x⟩ ⟨"é"⟩'
    )
    apt, whale = script.commands[1], script.commands[2]
    assert source.range(apt.argv[0].span) == ranges[0]
    assert source.range(apt.argv[2].span) == ranges[1]
    assert [source.range(w.span) for w in whale.argv] == ranges[2:]
    assert [w.text for w in whale.argv] == ["🐳", "x", "é"]


# -- prefixes ------------------------------------------------------------------------


def test_sudo_env_and_assignments_are_stripped() -> None:
    script, source, ranges = shell(
        "⟨X=1⟩ ⟨sudo⟩ -E -u root ⟨env⟩ -i ⟨A=b⟩ nohup time -p command ⟨apt-get⟩ install x"
    )
    (cmd,) = script.commands
    assert cmd.name == "apt-get"
    assert cmd.wrappers == ("sudo", "env", "nohup", "time", "command")
    assert [w.text for w in cmd.prefix_words][:4] == ["sudo", "-E", "-u", "root"]
    assert [(a.name, a.value and a.value.text) for a in cmd.assignments] == [("X", "1"), ("A", "b")]
    assert source.range(cmd.assignments[0].span) == ranges[0]
    sudo = cmd.wrapper("sudo")
    assert sudo is not None
    assert source.range(sudo.span) == ranges[1]
    assert cmd.wrapper("env") is not None
    assert source.range(cmd.argv[0].span) == ranges[4]
    assert source.range(cmd.span)[0] == ranges[0][0]


@pytest.mark.parametrize(
    ("text", "argv", "wrappers"),
    [
        ("sudo", ["sudo"], ()),
        ("env", ["env"], ()),
        ("command -v apt-get", ["command", "-v", "apt-get"], ()),
        ("exec -a name /usr/bin/node app.js", ["/usr/bin/node", "app.js"], ("exec",)),
        ("sudo --user=app make", ["make"], ("sudo",)),
        ("env -u HOME A=1 make", ["make"], ("env",)),
        ("$SUDO make", ["$SUDO", "make"], ()),
        ("export A=1 B", ["export", "A=1", "B"], ()),
        ("sudo -- make", ["make"], ("sudo",)),
        ("time -o /tmp/t make", ["make"], ("time",)),
    ],
)
def test_wrapper_edge_cases(text: str, argv: list[str], wrappers: tuple[str, ...]) -> None:
    script, _, _ = shell(text)
    (cmd,) = script.commands
    assert [w.text for w in cmd.argv] == argv
    assert cmd.wrappers == wrappers


def test_sh_c_is_parsed_with_positions_inside_the_string() -> None:
    script, source, ranges = shell(
        'sudo sh -c "⟨apt-get⟩ install -y ⟨\\"curl\\"⟩ && ⟨rm⟩ -rf \\$HOME/x" && '
        "bash -euo pipefail -c 'if [ -f x ]; then ⟨echo⟩ é; fi'"
    )
    apt, rm, echo = script.commands
    assert [c.name for c in script.commands] == ["apt-get", "rm", "echo"]
    assert source.range(apt.argv[0].span) == ranges[0]
    assert apt.argv[3].text == "curl"
    assert source.range(apt.argv[3].span) == ranges[1]
    assert source.range(rm.argv[0].span) == ranges[2]
    assert rm.argv[2].text == "$HOME/x"
    assert source.range(echo.argv[0].span) == ranges[3]
    assert apt.wrappers == ("sudo", "sh")
    assert [w.text for w in apt.prefix_words] == ["sudo", "sh", "-c"]
    assert rm.connector == "&&"
    assert echo.connector == "&&"
    assert echo.wrappers == ("bash",)


def test_sh_without_a_command_string_stays_a_command() -> None:
    script, _, _ = shell("sh ./configure --prefix=/usr; bash -c ''; busybox tar x; sh -c")
    assert argvs(script) == [
        ["sh", "./configure", "--prefix=/usr"],
        ["bash", "-c", ""],
        ["busybox", "tar", "x"],
        ["sh", "-c"],
    ]


def test_other_shell_invocations_are_unwrapped() -> None:
    script, _, _ = shell("busybox sh -c 'apk add x' && bash --norc --rcfile r -lc 'pip install y'")
    assert [(c.name, c.wrappers) for c in script.commands] == [
        ("apk", ("busybox",)),
        ("pip", ("bash",)),
    ]
    assert [c.name for c in script.named("pip", "npm")] == ["pip"]


def test_redirects_are_kept_on_their_command() -> None:
    script, source, ranges = shell(
        "curl -fsSL x ⟨> /tmp/x⟩ ⟨2>&1⟩ && cat <<EOF ⟨> /etc/conf⟩\nk=v $(id)\nEOF\nls"
    )
    curl, cat, idcmd, ls = script.commands
    assert [(r.operator, r.target and r.target.text) for r in curl.redirects] == [
        (">", "/tmp/x"),
        ("2>&", "1"),
    ]
    assert [source.range(r.span) for r in curl.redirects] == ranges[:2]
    assert [r.operator for r in cat.redirects] == ["<<", ">"]
    assert source.range(cat.redirects[1].span) == ranges[2]
    assert idcmd.in_substitution
    assert ls.connector == "\n"


def test_broken_input_never_raises_and_keeps_what_parsed() -> None:
    script, _, _ = shell('apt-get install "unclosed')
    assert script.has_error
    assert script.commands[0].name == "apt-get"
    for text in ("(((", "if then fi", "case x in", "sh -c '(((' ", "a && ", "$((", "`"):
        assert isinstance(shell(text)[0], Script)


def test_astral_characters_are_kept_despite_the_tree_sitter_crash_workaround() -> None:
    # tree-sitter-bash#337: '{' then a 4-byte character can crash the process.
    script, source, ranges = shell("echo {🐳 ⟨🎉x⟩ && ls ⟨{😀}⟩")
    echo, ls = script.commands
    assert [w.text for w in echo.argv] == ["echo", "{🐳", "🎉x"]
    assert [w.text for w in ls.argv] == ["ls", "{😀}"]
    assert [source.range(echo.argv[2].span), source.range(ls.argv[1].span)] == ranges


def test_pathological_nesting_stops_with_an_error() -> None:
    script, _, _ = shell("(" * 2000 + "a" + ")" * 2000)
    assert script.has_error


# -- helpers for rules -----------------------------------------------------------


def command(text: str) -> Command:
    script, _, _ = shell(text)
    return script.commands[0]


def test_name_subcommand_positionals_and_options() -> None:
    apt = command(
        "/usr/bin/apt-get -o Dpkg::Options::=--force-confold -qy install "
        "--no-install-recommends curl=8.* git"
    )
    assert apt.name == "apt-get"
    sub = apt.subcommand()
    assert sub is not None
    assert sub.text == "install"
    assert [w.text for w in apt.positionals()] == ["install", "curl=8.*", "git"]
    assert apt.has_option("-y")
    assert apt.has_option("--no-install-recommends")
    assert not apt.has_option("--force-confold")
    value = apt.option_value("-o")
    assert value is not None
    assert value.text == "Dpkg::Options::=--force-confold"

    apk = command("apk add --no-cache --virtual .build-deps gcc musl-dev")
    assert [w.text for w in apk.positionals()] == ["add", "gcc", "musl-dev"]
    virtual = apk.option_value("--virtual", "-t")
    assert virtual is not None
    assert virtual.text == ".build-deps"

    npm = command("npm i --omit=dev")
    sub = npm.subcommand()
    assert sub is not None
    assert sub.text == "i"
    omit = npm.option_value("--omit")
    assert omit is not None
    assert omit.text == "dev"

    tar = command("tar -xzf archive.tgz -C /opt -- -odd")
    assert tar.option_value("-f") is not None
    assert [w.text for w in tar.positionals()] == ["-odd"]
    assert [w.text for w in command("pip3 install -r req.txt .").positionals()] == [
        "install",
        ".",
    ]
    assert command("ls -la").positionals(takes_value={"-l"}) == ()


def test_option_value_span_is_narrowed_after_equals() -> None:
    script, source, ranges = shell("npm ci --omit=⟨dev⟩")
    omit = script.commands[0].option_value("--omit")
    assert omit is not None
    assert source.range(omit.span) == ranges[0]


def test_words_spelled_alike_share_their_strings() -> None:
    script, _, _ = shell("apt-get install -y curl && apt-get install -y 'curl'")
    first, second = script.commands
    assert first.argv[0].text is second.argv[0].text
    assert first.argv[0].text is first.argv[0].raw  # nothing unquoted: one string
    assert second.argv[3].text is first.argv[3].text and second.argv[3].raw == "'curl'"


def test_located_word_spans_stay_exact_after_a_prefix() -> None:
    script, source, ranges = shell("x ⟨--a=b⟩ --k=⟨v⟩")
    option, value = script.commands[0].argv[1], script.commands[0].argv[2].after(4)
    assert option.text == "--a=b" and source.range(option.span) == ranges[0]
    assert value.text == "v" and source.range(value.span) == ranges[1]


def test_shifted_treats_a_module_runner_as_its_module() -> None:
    pip = command("python3 -m pip install --no-cache-dir x").shifted(2)
    assert pip.name == "pip"
    assert pip.has_option("--no-cache-dir")
    assert [w.text for w in pip.prefix_words] == ["python3", "-m"]
    assert command("x").shifted(5).argv[0].text == "x"


# -- instructions (through the Dockerfile parser) --------------------------------------


def test_line_continuations_map_back_to_the_source() -> None:
    scripts, source, ranges = dockerfile(
        "FROM debian\n"
        "RUN set -eux; \\\n"
        "    ⟨apt-get⟩ update && \\\n"
        "# a comment inside the continuation\n"
        "    apt-get install -y \\\n"
        "        ⟨ca-certificates⟩ curl; \\\n"
        "    ⟨rm -rf /var/lib/apt/lists/*⟩\n"
    )
    run = scripts[1]
    assert [c.name for c in run.commands] == ["set", "apt-get", "apt-get", "rm"]
    assert source.range(run.commands[1].argv[0].span) == ranges[0]
    assert source.range(run.commands[2].argv[3].span) == ranges[1]
    assert source.range(run.commands[3].span) == ranges[2]


def test_exec_form_is_the_argv_and_sh_c_is_recursed() -> None:
    scripts, source, ranges = dockerfile(
        "FROM alpine\n"
        'CMD ["nginx", ⟨"-g"⟩, "daemon off;"]\n'
        'RUN ["sh", "-c", "echo ⟨\\"h\\u00e9\\ud83d\\udc33\\"⟩ && ⟨apk⟩ add \\\n'
        '  ⟨curl⟩"]\n'
        'ENTRYPOINT ["sudo", "-E", "env", "A=1", "node"]\n'
    )
    cmd, run, entry = scripts[1], scripts[2], scripts[3]
    assert argvs(cmd) == [["nginx", "-g", "daemon off;"]]
    assert source.range(cmd.commands[0].argv[1].span) == ranges[0]
    assert argvs(run) == [["echo", "hé🐳"], ["apk", "add", "curl"]]
    assert source.range(run.commands[0].argv[1].span) == ranges[1]
    assert source.range(run.commands[1].argv[0].span) == ranges[2]
    assert source.range(run.commands[1].argv[2].span) == ranges[3]
    assert run.commands[1].connector == "&&"
    assert argvs(entry) == [["node"]]
    assert entry.commands[0].wrappers == ("sudo", "env")


def test_heredoc_bodies_are_scripts_unless_another_interpreter_reads_them() -> None:
    scripts, source, ranges = dockerfile(
        "FROM debian\n"
        "RUN <<EOF\n"
        "set -e\n"
        "⟨apt-get⟩ update\n"
        "EOF\n"
        "RUN python3 <<EOF\nimport os\nEOF\n"
        "RUN <<EOF python3\nimport os\nEOF\n"
        "RUN <<EOF\n#!/usr/bin/env python3\nimport os\nEOF\n"
        "RUN <<-EOF bash -ex\n\t⟨apk⟩ add x\n\tEOF\n"
        "RUN cat <<EOF > /etc/x && chmod 600 /etc/x\nkey=value\nEOF\n"
        "RUN apt-get update && python3 <<EOF\nimport os\nEOF\n"
    )
    assert argvs(scripts[1]) == [["set", "-e"], ["apt-get", "update"]]
    assert scripts[1].commands[1].connector == "\n"
    assert source.range(scripts[1].commands[1].argv[0].span) == ranges[0]
    assert argvs(scripts[2]) == [["python3"]]
    assert argvs(scripts[3]) == [["python3"]]
    assert argvs(scripts[4]) == []
    assert argvs(scripts[5]) == [["apk", "add", "x"]]
    assert scripts[5].commands[0].wrappers == ("bash",)
    assert source.range(scripts[5].commands[0].argv[0].span) == ranges[1]
    assert argvs(scripts[6]) == [["cat"], ["chmod", "600", "/etc/x"]]
    assert argvs(scripts[7]) == [["apt-get", "update"], ["python3"]]
    assert [r.operator for r in scripts[7].commands[1].redirects] == ["<<"]
    assert not any(s.has_error for s in scripts)


def test_healthcheck_onbuild_and_other_instructions() -> None:
    scripts, _, _ = dockerfile(
        "FROM node\n"
        "HEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\n"
        'HEALTHCHECK CMD ["wget", "-q", "http://localhost/"]\n'
        "HEALTHCHECK NONE\n"
        "ONBUILD RUN sudo make install\n"
        "ENV A=1\n"
        "CMD exec node server.js\n"
    )
    assert argvs(scripts[1]) == [["curl", "-f", "http://localhost/"], ["exit", "1"]]
    assert argvs(scripts[2]) == [["wget", "-q", "http://localhost/"]]
    assert argvs(scripts[3]) == []
    assert argvs(scripts[4]) == [["make", "install"]]
    assert argvs(scripts[5]) == []
    assert argvs(scripts[6]) == [["node", "server.js"]]


def test_powershell_shell_gives_empty_scripts_for_the_shell_form() -> None:
    doc = parse(
        'FROM mcr.microsoft.com/windows/servercore\nSHELL ["powershell", "-Command"]\n'
        'RUN Install-Module Foo\nCMD ["app.exe", "--serve"]\n'
    )
    stage = doc.stages[0]
    run, cmd = stage.instructions[1], stage.instructions[2]
    shell_argv = active_shell(stage.instructions, run)
    assert shell_argv == ("powershell", "-Command")
    assert script_of(run, shell_argv).commands == ()
    assert argvs(script_of(cmd, shell_argv)) == [["app.exe", "--serve"]]
    assert argvs(script_of(run)) == [["Install-Module", "Foo"]]
    assert active_shell(stage.instructions, stage.instructions[0]) is None


@pytest.mark.parametrize(
    ("argv", "posix"),
    [
        (None, True),
        (["/bin/bash", "-o", "pipefail", "-c"], True),
        (["/usr/bin/env", "sh", "-c"], True),
        (["powershell", "-Command"], False),
        (["C:\\Program Files\\PowerShell\\pwsh.exe", "-c"], False),
        (["cmd", "/S", "/C"], False),
    ],
)
def test_is_posix_shell(argv: list[str] | None, posix: bool) -> None:
    assert is_posix_shell(argv) is posix


def test_scripts_are_memoised_per_instruction_and_by_value() -> None:
    text = "FROM debian\nRUN apt-get update\n"
    first, second = parse(text).instructions[1], parse(text).instructions[1]
    assert first is not second
    assert script_of(first) is script_of(first)
    assert script_of(second) is script_of(first)


def test_exec_form_whose_elements_cannot_be_mapped_uses_their_spans() -> None:
    element = Token("echo hi && make", Span.of(0, 17, None, 34))
    rest = '["sh", "-c", "something else"]'
    ins = Instruction(
        keyword=Token("RUN", Span.of(0, 0, None, 3)),
        name="RUN",
        span=Span.of(0, 0, None, 4 + len(rest)),
        flags=(),
        args=(),
        rest=Token(rest, Span.of(0, 4, None, 4 + len(rest))),
        exec_form=ExecForm(
            (Token("sh", Span.of(0, 5, None, 9)), Token("-c", Span.of(0, 11, None, 15)), element),
            Span.of(0, 4, None, 4 + len(rest)),
        ),
        pairs=(),
        heredocs=(),
        comments=(),
        trigger=None,
        index=0,
        rest_segments=((0, 0, 4),),
    )
    script = script_of(ins)
    assert argvs(script) == [["echo", "hi"], ["make"]]
    assert {w.span for c in script.commands for w in c.argv} == {element.span}


# -- properties -------------------------------------------------------------------------

_SHELLISH = st.text(
    alphabet=st.sampled_from(list("ab -=$'\"\\`(){}[];|&<>#*\n\tcé🐳")), max_size=80
)


def _spans_within(text: str, parse_: Callable[[str, Source], Script]) -> None:
    source = Source(text)
    script = parse_(text, source)
    for span in all_spans(script):
        start, end = source.range(span)
        assert 0 <= start <= end <= len(text), (span, text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=120), _SHELLISH))
def test_random_text_never_raises_and_spans_stay_inside(text: str) -> None:
    _spans_within(text, lambda t, s: parse_shell(t, s.locate))
    wrapped = "sh -c '" + text.replace("'", "") + "'"
    _spans_within(wrapped, lambda t, s: parse_shell(t, s.locate))


def test_word_equality_and_repr() -> None:
    span = Span.of(0, 0, None, 1)
    assert Word("a", "a", span) == Word("a", "a", span)
    assert hash(Word("a", "a", span)) == hash(Word("a", "a", span))
    assert Word("a", "a", span) != Word("a", "'a'", span)
    assert "raw='a'" in repr(Word("a", "a", span))
