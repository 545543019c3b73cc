"""Split with RUNs that configure the container (``mkdir``, ``chmod``, ``chown``, ``ln``,
``mv``, ``touch``, ``printf``/``echo`` into a file): placed in the runtime when they use
nothing the build wrote, left in the builder with the result copied when they change what
it wrote, refused when the split cannot tell.

Every offered split goes through ``assert_properties`` (tests/test_split.py).
"""

from __future__ import annotations

import pytest

from dockerls.edits import apply_edits
from tests.test_split import actions, assert_properties, by_image, reasons

GO = """\
FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /bin/app .
RUN mkdir -p /var/data
RUN printf 'mode=live\\n' > /etc/app.conf && chmod 444 /etc/app.conf
EXPOSE 8080
CMD ["/bin/app"]
"""

GO_BUILDER = """\
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/app .
RUN mkdir -p /var/data
RUN printf 'mode=live\\n' > /etc/app.conf && chmod 444 /etc/app.conf
"""

GO_DISTROLESS = (
    GO_BUILDER
    + """
FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /src
COPY --from=build /bin/app /bin/app
COPY --from=build /var/data /var/data
COPY --from=build /etc/app.conf /etc/app.conf
USER nonroot
EXPOSE 8080
CMD ["/bin/app"]
"""
)

GO_SCRATCH = (
    GO_BUILDER
    + """
FROM scratch
USER 65532:65532
WORKDIR /src
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /bin/app /bin/app
COPY --from=build /var/data /var/data
COPY --from=build /etc/app.conf /etc/app.conf
EXPOSE 8080
CMD ["/bin/app"]
"""
)


def test_shell_less_runtimes_copy_what_the_runs_made() -> None:
    found = actions(GO)
    assert [a.runtime_image for a in found] == [
        "gcr.io/distroless/static-debian13:nonroot",
        "scratch",
    ]
    for action, expected in zip(found, (GO_DISTROLESS, GO_SCRATCH), strict=True):
        assert apply_edits(GO, action.edits) == expected
        assert_properties(GO, action)
        assert (
            f"{action.runtime_image} has no shell to run the RUNs on lines 5 and 6, which "
            "change what the build does not write: it copies /var/data, /etc/app.conf from "
            "the builder instead."
        ) in action.warnings


PYTHON = """\
FROM python:3.12
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN mkdir -p /srv/uploads \\
    && chown 1000:1000 /srv/uploads
RUN ln -s /srv/uploads /srv/incoming && touch /var/log/app.log
CMD ["python", "app.py"]
"""

PYTHON_SLIM = """\
FROM python:3.12 AS build
WORKDIR /app
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install -r requirements.txt
COPY . .
RUN mkdir -p /srv/uploads \\
    && chown 1000:1000 /srv/uploads
RUN ln -s /srv/uploads /srv/incoming && touch /var/log/app.log

FROM python:3.12-slim
WORKDIR /app
RUN useradd --create-home app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=app /app /app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN mkdir -p /srv/uploads \\
    && chown 1000:1000 /srv/uploads
RUN ln -s /srv/uploads /srv/incoming && touch /var/log/app.log
RUN chown app /app
USER app
CMD ["python", "app.py"]
"""


def test_runtime_runs_what_uses_nothing_the_build_wrote() -> None:
    found = actions(PYTHON)
    action = by_image(found, "python:3.12-slim")
    assert apply_edits(PYTHON, action.edits) == PYTHON_SLIM
    assert_properties(PYTHON, action)
    assert (
        "The RUN on line 6 changes /srv/uploads, which the build does not write: the runtime "
        "runs it too, after its copies (it also stays in the builder, where later steps may "
        "rely on it)."
    ) in action.warnings
    assert (
        "The RUN on line 8 changes /srv/uploads, /srv/incoming, /var/log/app.log, which the "
        "build does not write: the runtime runs it too, after its copies (it also stays in "
        "the builder, where later steps may rely on it)."
    ) in action.warnings


def test_a_change_to_what_the_build_wrote_stays_in_the_builder() -> None:
    text = GO.replace("RUN mkdir -p /var/data\n", "RUN chmod 755 /bin/app\n")
    text = text.replace(
        "RUN printf 'mode=live\\n' > /etc/app.conf && chmod 444 /etc/app.conf\n", ""
    )
    action = actions(text)[0]
    result = apply_edits(text, action.edits)
    assert result.split("\n\n")[1] == (
        "FROM gcr.io/distroless/static-debian13:nonroot\n"
        "WORKDIR /src\n"
        "COPY --from=build /bin/app /bin/app\n"
        "USER nonroot\n"
        "EXPOSE 8080\n"
        'CMD ["/bin/app"]\n'
    )
    assert result.split("\n\n")[0].endswith("\nRUN chmod 755 /bin/app")
    assert_properties(text, action)
    assert (
        "The RUN on line 5 changes /bin/app, which the build wrote: it stays in the builder "
        "and the runtime copies the result."
    ) in action.warnings


def test_a_build_that_also_configures_its_output_stays_in_the_builder() -> None:
    text = GO.replace(
        "RUN go build -o /bin/app .", "RUN go build -o /bin/app . && chmod 755 /bin/app"
    )
    found = actions(text)
    assert [a.runtime_image for a in found][:1] == ["gcr.io/distroless/static-debian13:nonroot"]
    for action in found:
        assert_properties(text, action)


WHY = "; the split cannot tell what belongs to the builder and what to the runtime."


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        (  # a RUN that builds and configures what the runtime would have to make itself
            "RUN go build -o /bin/app .",
            "RUN go build -o /bin/app . && mkdir /var/cache/app",
            "The RUN on line 4 configures the container (`mkdir`) and also builds (`go`), in "
            "one RUN" + WHY,
        ),
        (
            "RUN mkdir -p /var/data",
            "RUN mkdir -p $DATA_DIR",
            "The RUN on line 5 runs `mkdir` on `$DATA_DIR`, a path known only when it runs" + WHY,
        ),
        (
            "RUN mkdir -p /var/data",
            "RUN mkdir -p /var/data && chown www-data /var/data",
            "The RUN on line 5 runs `chown` to a named user, which the runtime image may not "
            "have (use a numeric id)" + WHY,
        ),
        (
            "RUN mkdir -p /var/data",
            "RUN mkdir -p /var/data && ln -s /var/data /src/data",
            "The RUN on line 5 runs `mkdir`, `ln` on /src/data, which the build writes, and on "
            "/var/data, which it does not" + WHY,
        ),
        (  # the source tree stays in the builder: the permission change would be lost
            "RUN mkdir -p /var/data",
            "RUN chmod 600 /src/config.yaml",
            "The RUN on line 5 changes /src/config.yaml, which the build wrote and the runtime "
            "(scratch) does not receive.",
        ),
        (  # a file of the base image: a runtime without a shell can neither run nor copy it
            "RUN mkdir -p /var/data",
            "RUN chmod 644 /etc/passwd",
            "The RUN on line 5 changes files of the base image, and scratch has no shell to "
            "run it.",
        ),
        (  # COPY creates a directory afresh (root, 0755): its mode would be lost
            "RUN mkdir -p /var/data",
            "RUN mkdir -p /var/data && chmod 777 /var/data",
            "The RUN on line 5 sets the mode or owner of /var/data, which COPY does not "
            "carry, and scratch has no shell to run it.",
        ),
        (  # users are still the container's business
            "RUN mkdir -p /var/data",
            "RUN useradd app && mkdir /var/data && chown app /var/data",
            "The RUN on line 5 runs `useradd`, which configures the running container; the "
            "split cannot tell whether it belongs to the builder or the runtime.",
        ),
    ],
)
def test_what_the_split_cannot_tell_is_refused(old: str, new: str, reason: str) -> None:
    text = GO.replace(old, new)
    assert actions(text) == []
    assert reasons(text) == [reason]


def test_a_relative_path_is_in_the_working_directory_the_runtime_copies() -> None:
    text = PYTHON.replace("COPY . .\n", "COPY . .\nRUN mkdir -p uploads && chmod 777 uploads\n")
    action = by_image(actions(text), "python:3.12-slim")
    result = apply_edits(text, action.edits)
    assert result.count("RUN mkdir -p uploads && chmod 777 uploads") == 1
    assert "COPY --from=build --chown=app /app /app" in result
    assert_properties(text, action)
    assert (
        "The RUN on line 6 changes /app/uploads, which the build wrote: it stays in the "
        "builder and the runtime copies the result."
    ) in action.warnings


# --------------------------------------------------------------------------- paths from ENV

TIMEZONE = "RUN ln -snf /usr/share/zoneinfo/$TZ /etc/localtime && echo $TZ > /etc/timezone\n"


def _with_timezone(declare: str) -> str:
    return PYTHON.replace("COPY . .\n", f"COPY . .\n{declare}{TIMEZONE}")


def test_a_path_known_from_env_is_placed_and_the_runtime_repeats_the_run() -> None:
    text = _with_timezone("ENV TZ=Europe/Rome\n")
    action = by_image(actions(text), "python:3.12-slim")
    result = apply_edits(text, action.edits)
    builder, runtime = result.split("\nFROM python:3.12-slim\n")
    assert TIMEZONE in builder
    assert "ENV TZ=Europe/Rome\n" in runtime
    assert runtime.index("ENV TZ=Europe/Rome") < runtime.index(TIMEZONE)
    assert_properties(text, action)
    assert (
        "The RUN on line 7 changes /usr/share/zoneinfo/Europe/Rome, /etc/localtime, "
        "/etc/timezone, which the build does not write: the runtime runs it too, after its "
        "copies (it also stays in the builder, where later steps may rely on it)."
    ) in action.warnings
    assert (
        "The paths of the RUN on line 7 are read with the value the stage's ENV gives "
        "TZ=Europe/Rome; build arguments are never assumed."
    ) in action.warnings


def test_env_values_made_of_known_env_values_resolve_too() -> None:
    text = _with_timezone('ENV ZONE=Europe\nENV TZ="${ZONE}/Rome"\n')
    action = by_image(actions(text), "python:3.12-slim")
    assert_properties(text, action)
    assert any("/usr/share/zoneinfo/Europe/Rome" in w for w in action.warnings)


def test_a_path_written_into_a_file_is_read_with_env_too() -> None:
    text = PYTHON.replace(
        "COPY . .\n", "COPY . .\nENV CONF=/etc/app\nRUN printf 'x=1\\n' > $CONF/app.ini\n"
    )
    action = by_image(actions(text), "python:3.12-slim")
    assert "changes /etc/app/app.ini, which the build does not write" in " ".join(action.warnings)


@pytest.mark.parametrize(
    ("declare", "reason"),
    [
        (  # a build argument's default: --build-arg can change it
            "ARG TZ=Europe/Rome\n",
            "a path that depends on the build argument behind $TZ, which --build-arg can "
            "change (give it a fixed value with ENV)",
        ),
        (  # an ENV made from a build argument is no better known
            "ARG ZONE=Europe/Rome\nENV TZ=$ZONE\n",
            "a path that depends on the build argument behind $TZ, which --build-arg can "
            "change (give it a fixed value with ENV)",
        ),
        (  # one ENV's pairs see the values before it: $ZONE is not set yet
            "ENV ZONE=Europe TZ=${ZONE}/Rome\n",
            "a path known only when it runs",
        ),
        (  # from the base image, or nowhere
            "",
            "a path known only when it runs",
        ),
        (  # the RUN sets it itself: not the ENV's value any more
            "ENV TZ=Europe/Rome\nRUN export TZ=$(hostname) && "
            "ln -snf /usr/share/zoneinfo/$TZ /etc/localtime\n",
            "a path known only when it runs",
        ),
    ],
)
def test_a_path_not_known_without_the_build_or_its_arguments_is_refused(
    declare: str, reason: str
) -> None:
    text = _with_timezone(declare)
    assert actions(text) == []
    line = 6 + declare.count("\n") - (1 if "RUN export" in declare else 0)
    assert reasons(text) == [
        f"The RUN on line {line} runs `ln` on `/usr/share/zoneinfo/$TZ`, {reason}" + WHY
    ]


def test_single_quotes_keep_the_dollar_sign() -> None:
    text = PYTHON.replace(
        "COPY . .\n", "COPY . .\nENV TZ=UTC\nRUN ln -snf '/usr/share/zoneinfo/$TZ' /etc/localtime\n"
    )
    assert reasons(text) == [
        "The RUN on line 7 runs `ln` on `/usr/share/zoneinfo/$TZ`, a path known only when "
        "it runs" + WHY
    ]


def test_echo_into_a_pipe_changes_no_file() -> None:
    text = PYTHON.replace(
        "RUN pip install -r requirements.txt",
        "RUN echo 'yes' | pip install -r requirements.txt",
    )
    assert actions(text)
