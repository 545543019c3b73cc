"""``.dockerignore`` matching with Docker's semantics, as documented for the build context.

Each table row is (ignore file text, path relative to the context root, excluded?).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockerls.dockerignore import DockerIgnore, go_clean, normalize_path


def check(text: str, path: str, excluded: bool) -> None:
    ignore = DockerIgnore.parse(text)
    assert ignore.problems == ()
    assert ignore.is_excluded(path) is excluded, (text, path)


# The examples in Docker's documentation of .dockerignore files.
DOCUMENTED = [
    # "*/temp*": names starting with temp in any immediate subdirectory of the root.
    ("*/temp*", "somedir/temporary.txt", True),
    ("*/temp*", "somedir/temp", True),
    ("*/temp*", "somedir/temp/inside.txt", True),
    ("*/temp*", "temporary.txt", False),
    ("*/temp*", "somedir/atemp", False),
    # "*/*/temp*": two levels below the root.
    ("*/*/temp*", "somedir/subdir/temporary.txt", True),
    ("*/*/temp*", "somedir/temporary.txt", False),
    ("*/*/temp*", "temporary.txt", False),
    # "temp?": a one-character extension of temp, in the root only.
    ("temp?", "tempa", True),
    ("temp?", "tempb", True),
    ("temp?", "temp", False),
    ("temp?", "tempab", False),
    ("temp?", "dir/tempa", False),
    ("temp?", "temp/", False),
    # "**/*.go": .go files anywhere, including the root.
    ("**/*.go", "main.go", True),
    ("**/*.go", "cmd/app/main.go", True),
    ("**/*.go", "main.gox", False),
    ("**/*.go", "go.mod", False),
    # "*.md" with the exception "!README.md": markdown at the root except README.md.
    ("*.md\n!README.md", "CHANGELOG.md", True),
    ("*.md\n!README.md", "README.md", False),
    ("*.md\n!README.md", "docs/guide.md", False),  # '*' does not cross '/'
    # No markdown except README files other than README-secret.md.
    ("*.md\n!README*.md\nREADME-secret.md", "README-secret.md", True),
    ("*.md\n!README*.md\nREADME-secret.md", "README-public.md", False),
    ("*.md\n!README*.md\nREADME-secret.md", "README.md", False),
    ("*.md\n!README*.md\nREADME-secret.md", "notes.md", True),
    # The exception last: it also re-includes README-secret.md.
    ("*.md\nREADME-secret.md\n!README*.md", "README-secret.md", False),
    ("*.md\nREADME-secret.md\n!README*.md", "notes.md", True),
    # The root is both the working and the root directory: '/foo/bar' == 'foo/bar'.
    ("/foo/bar", "foo/bar", True),
    ("foo/bar", "foo/bar", True),
    ("/foo/bar", "x/foo/bar", False),
    # The Dockerfile and the ignore file can be listed too (COPY then does not see them).
    ("Dockerfile\n.dockerignore", "Dockerfile", True),
    ("Dockerfile\n.dockerignore", ".dockerignore", True),
]

CLEANING = [
    ("./foo", "foo", True),
    ("foo/", "foo", True),  # a trailing '/' does not mean "directories only"
    ("foo/", "foo/bar.txt", True),
    ("foo//bar", "foo/bar", True),
    ("foo/./bar", "foo/bar", True),
    ("foo/../bar", "bar", True),
    ("foo/../bar", "foo/bar", False),
    ("  foo  ", "foo", True),
    ("\tfoo\t", "foo", True),
    ("/", "anything", False),  # cleans to "/", which no relative path equals
    (".", "anything", False),  # "for historical reasons, the pattern . is ignored"
    ("../outside", "outside", False),
    ("foo\r\nbar\r\n", "bar", True),  # CRLF files
    ("\ufefffoo", "foo", True),  # a UTF-8 BOM on the first line
    ("!  foo", "foo", False),
    ("!/foo\nfoo", "foo", True),
]

COMMENTS = [
    ("# foo\n", "# foo", False),
    ("# foo\n", "foo", False),
    ("#foo", "#foo", False),
    (" # foo", "# foo", True),  # '#' not in the first column: a pattern
    ("foo # bar", "foo", False),  # no trailing comments: the pattern is "foo # bar"
    ("foo # bar", "foo # bar", True),
    ("\n\n   \n\t\nfoo\n\n", "foo", True),
]

DIRECTORIES = [
    # A directory pattern covers everything below it.
    ("node_modules", "node_modules", True),
    ("node_modules", "node_modules/react/index.js", True),
    ("node_modules", "packages/web/node_modules/react/index.js", False),
    ("node_modules", "node_modules_backup", False),
    ("**/node_modules", "node_modules/x", True),
    ("**/node_modules", "packages/web/node_modules/react/index.js", True),
    ("**/node_modules", "node_modules_backup", False),
    ("node_modules/", "node_modules/x/y", True),
    ("/node_modules", "node_modules/x/y", True),
    ("node_modules/*", "node_modules", False),
    ("node_modules/*", "node_modules/x/y", True),
    ("node_modules/**", "node_modules", False),
    ("node_modules/**", "node_modules/x/y", True),
    (".git", ".git", True),
    (".git", ".git/objects/ab/cdef", True),
    (".git", ".gitignore", False),
    (".git", "sub/.git/HEAD", False),
    (".git*", ".gitignore", True),
    ("**/.git", "sub/.git/HEAD", True),
    ("*/temp", "a/temp/b/c", True),
    ("src/*.py", "src/pkg/mod.py", False),
    ("src/*", "src/pkg/mod.py", True),  # "src/pkg" matches, so below it is excluded
]

DOUBLE_STAR = [
    ("**", "anything", True),
    ("**", "a/b/c", True),
    ("**/", "a/b/c", True),
    ("**\n!src", "src/main.py", False),
    ("**\n!src", "tests/test_main.py", True),
    ("**/foo", "foo", True),
    ("**/foo", "a/b/foo", True),
    ("**/foo", "afoo", False),
    ("**/foo/bar", "foo/bar", True),
    ("**/foo/bar", "x/foo/bar/baz", True),
    ("**/foo/bar", "x/foo/baz", False),
    ("a/**/b", "a/b", True),  # zero directories
    ("a/**/b", "a/x/b", True),
    ("a/**/b", "a/x/y/b", True),
    ("a/**/b", "a/x/yb", False),
    ("a/**/b", "b", False),
    ("a/**", "a/x/y", True),
    ("a/**", "a", False),
    ("a**", "abc/d", True),
    ("**/*.log", "logs/app/today.log", True),
    ("**/*.log", "today.log", True),
    ("**/test_*.py", "tests/unit/test_x.py", True),
    ("**/test_*.py", "tests/unit/x_test.py", False),
    ("**/build/**", "build/out.o", True),
    ("**/build/**", "pkg/build/out.o", True),
    # Docker matches '**' + literal text as a plain suffix, so these cross directories.
    ("**.md", "docs/guide.md", True),
    ("**.md", "README.md", True),
    ("**foo", "barfoo", True),
    ("**foo", "x/barfoo", True),
]

GO_MATCH_SYNTAX = [
    ("[abc]at", "bat", True),
    ("[abc]at", "dat", False),
    ("[a-c]at", "cat", True),
    ("[a-c]at", "Cat", False),
    ("[^a-c]at", "dat", True),
    ("[^a-c]at", "cat", False),
    ("[!a]x", "!x", True),  # Go has no '!' negation: it is a member of the class
    ("[!a]x", "bx", False),
    ("a[^x]b", "a/b", True),  # unlike '*' and '?', a class can match the separator
    ("a[/]b", "a/b", True),
    ("[^a]", "b", True),
    ("[^a]", "a", False),
    ("a?b", "a/b", False),
    ("a*b", "a/b", False),
    ("a*b", "ab", True),
    ("a*b", "axxb", True),
    ("\\*.txt", "*.txt", True),
    ("\\*.txt", "a.txt", False),
    ("\\[x\\]", "[x]", True),
    ("[\\]]x", "]x", True),
    ("[\\-]x", "-x", True),
    ("a.b", "axb", False),  # regex metacharacters are literal
    ("a+b", "a+b", True),
    ("(a|b)", "(a|b)", True),
    ("(a|b)", "a", False),
    ("{a,b}", "{a,b}", True),
    ("{a,b}", "a", False),
    ("$HOME", "$HOME", True),
    ("a]", "a]", True),  # a lone ']' is an ordinary character
    ("ünï*", "ünïcode", True),
    ("?", "ü", True),
    ("*", "x", True),
    ("*", "x/y", True),  # matches the parent "x"
    ("*.TXT", "a.txt", False),  # case-sensitive
]

EXCEPTIONS = [
    ("node_modules\n!node_modules/keep", "node_modules/keep/index.js", False),
    ("node_modules\n!node_modules/keep", "node_modules/other/index.js", True),
    ("node_modules\n!node_modules/keep", "node_modules", True),
    ("dir\n!dir/file", "dir/file", False),  # no gitignore rule against this
    ("!dir\ndir", "dir/file", True),  # the last match wins
    ("!dir", "dir/file", False),
    ("*.md\n!README.md\n*.md", "README.md", True),
    ("*\n!*.json\n!src\nsrc/**/*.test.ts", "package.json", False),
    ("*\n!*.json\n!src\nsrc/**/*.test.ts", "src/a/b.test.ts", True),
    ("*\n!*.json\n!src\nsrc/**/*.test.ts", "src/a/b.ts", False),
    ("*\n!*.json\n!src\nsrc/**/*.test.ts", "Dockerfile", True),
    ("!!foo", "!foo", False),  # an exception naming a file that starts with '!'
    ("*\n!!foo", "!foo", False),
    ("*\n!!foo", "foo", True),
]

QUERIES = [
    ("foo", "./foo", True),
    ("foo", "/foo", True),
    ("foo", "foo/", True),
    ("foo", "bar/../foo", True),
    ("**", ".", False),  # the root itself is never excluded
    ("**", "", False),
    ("**", "/", False),
    ("**", "../x", False),  # outside the context
]


@pytest.mark.parametrize(
    ("text", "path", "excluded"),
    DOCUMENTED + CLEANING + COMMENTS + DIRECTORIES + DOUBLE_STAR + GO_MATCH_SYNTAX + EXCEPTIONS,
)
def test_matching(text: str, path: str, excluded: bool) -> None:
    check(text, path, excluded)


@pytest.mark.parametrize(("text", "path", "excluded"), QUERIES)
def test_query_paths_are_cleaned(text: str, path: str, excluded: bool) -> None:
    check(text, path, excluded)


def test_patterns_record_line_text_and_negation() -> None:
    ignore = DockerIgnore.parse("# deps\nnode_modules/\n\n  !  /node_modules/keep  \r\n*.md\n")
    got = [(p.line, p.start, p.end, p.text, p.pattern, p.negated) for p in ignore.patterns]
    assert got == [
        (1, 0, 13, "node_modules/", "node_modules", False),
        (3, 2, 23, "!  /node_modules/keep", "node_modules/keep", True),
        (4, 0, 4, "*.md", "*.md", False),
    ]


def test_bom_does_not_shift_the_pattern_text() -> None:
    (pattern,) = DockerIgnore.parse("\ufeff foo").patterns
    assert (pattern.start, pattern.end, pattern.text) == (2, 5, "foo")


@pytest.mark.parametrize(
    ("text", "path", "line"),
    [
        ("*.md\n!README.md", "README.md", 1),  # the exception that re-included it
        ("*.md\n!README.md", "notes.md", 0),
        ("node_modules\n*.log\nnode_modules/", "node_modules/x", 2),  # the last one
        ("**/.git", "a/.git/config", 0),
    ],
)
def test_matching_pattern_names_the_deciding_line(text: str, path: str, line: int) -> None:
    pattern = DockerIgnore.parse(text).matching_pattern(path)
    assert pattern is not None
    assert pattern.line == line


def test_matching_pattern_is_none_when_nothing_matches() -> None:
    assert DockerIgnore.parse("*.md").matching_pattern("src/main.py") is None
    assert DockerIgnore.parse("").matching_pattern("x") is None


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("[", 0, "unclosed"),
        ("ok\nfoo[a-", 1, "unclosed"),
        ("[]", 0, "unexpected"),
        ("[^]", 0, "unexpected"),
        ("[-a]", 0, "unexpected"),
        ("[a-]", 0, "unexpected"),
        ("[\\]", 0, "unclosed"),
        ("[z-a]x", 0, "reversed range"),  # Docker's regex translation rejects it
        ("foo\\", 0, "escapes nothing"),
        ("!", 0, "needs a pattern"),
        ("!   ", 0, "needs a pattern"),
        ("!/", 0, "needs a pattern"),  # cleans to "!" as Docker's matcher sees it
    ],
)
def test_invalid_patterns_are_problems_and_never_match(text: str, line: int, fragment: str) -> None:
    ignore = DockerIgnore.parse(text + "\n*.tmp")
    (problem,) = ignore.problems
    assert problem.line == line
    assert fragment in problem.message
    assert [p.pattern for p in ignore.patterns][-1] == "*.tmp"
    assert ignore.is_excluded("x.tmp")
    assert not ignore.is_excluded("[")
    assert not ignore.is_excluded("foo")


def test_problem_positions() -> None:
    (problem,) = DockerIgnore.parse("a\n  [abc  \n").problems
    assert (problem.line, problem.start, problem.end, problem.text) == (1, 2, 6, "[abc")


@pytest.mark.parametrize(
    ("text", "directory", "expected"),
    [
        ("node_modules", "node_modules", True),
        ("node_modules/", "node_modules", True),
        ("**/node_modules", "node_modules", True),
        ("node_modules/*", "node_modules", True),
        ("node_modules/**", "node_modules", True),
        ("**", "node_modules", True),
        ("*", "node_modules", True),
        ("node_modules/*.js", "node_modules", False),
        ("node_modules/react", "node_modules", False),
        ("node_modules\n!node_modules", "node_modules", False),
        ("node_modules/*\n!node_modules/*", "node_modules", False),
        ("dist", "node_modules", False),
        ("", "node_modules", False),
    ],
)
def test_excludes_contents_of(text: str, directory: str, expected: bool) -> None:
    assert DockerIgnore.parse(text).excludes_contents_of(directory) is expected


def test_has_exceptions() -> None:
    assert DockerIgnore.parse("*\n!src").has_exceptions
    assert not DockerIgnore.parse("*\nsrc").has_exceptions


@pytest.mark.parametrize(
    ("path", "cleaned"),
    [
        ("", "."),
        (".", "."),
        ("./", "."),
        ("/", "/"),
        ("//", "/"),
        ("a//b/./c/", "a/b/c"),
        ("a/../..", ".."),
        ("/../a", "/a"),
        ("../../a/b/../c", "../../a/c"),
    ],
)
def test_go_clean(path: str, cleaned: str) -> None:
    assert go_clean(path) == cleaned


def test_normalize_path() -> None:
    assert normalize_path("./a/b/") == "a/b"
    assert normalize_path("/a") == "a"
    assert normalize_path("..") is None
    assert normalize_path(".") is None


def test_parsed_values_compare_by_content() -> None:
    assert DockerIgnore.parse("a\n!b") == DockerIgnore.parse("a\n!b")
    assert hash(DockerIgnore.parse("a")) == hash(DockerIgnore.parse("a"))


_PATTERN_ALPHABET = st.sampled_from([*"ab*?[]^!-\\/. #\r\n\t{}()|+$", "**", "ü", "\ufeff"])


@given(st.lists(_PATTERN_ALPHABET, max_size=30).map("".join), st.text(max_size=20))
def test_never_raises(text: str, path: str) -> None:
    ignore = DockerIgnore.parse(text)
    ignore.is_excluded(path)
    ignore.matching_pattern(path)
    ignore.excludes_contents_of(path)
    for pattern in ignore.patterns:
        assert pattern.pattern
    for problem in ignore.problems:
        assert problem.message
