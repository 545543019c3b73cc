"""Split for Java: a Maven or Gradle build on a JDK, the jar ``java -jar`` runs on a JRE.

Every offered split goes through ``assert_properties`` (tests/test_split.py).
"""

from __future__ import annotations

import pytest

from dockerls.edits import apply_edits
from tests.test_split import actions, assert_properties, by_image, check_variants, reasons

MAVEN = """\
FROM maven:3.9-eclipse-temurin-21
WORKDIR /app
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests
EXPOSE 8080
CMD ["java", "-jar", "target/demo-0.0.1-SNAPSHOT.jar"]
"""

MAVEN_JRE = """\
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /app
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests

FROM eclipse-temurin:21-jre
WORKDIR /app
RUN useradd --create-home app
COPY --from=build --chown=app {jar} {jar}
RUN chown app /app
USER app
EXPOSE 8080
CMD ["java", "-jar", "target/demo-0.0.1-SNAPSHOT.jar"]
""".format(jar="/app/target/demo-0.0.1-SNAPSHOT.jar")

MAVEN_DISTROLESS = """\
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /app
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests

FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /app
COPY --from=build --chown=nonroot {jar} {jar}
USER nonroot
EXPOSE 8080
CMD ["target/demo-0.0.1-SNAPSHOT.jar"]
""".format(jar="/app/target/demo-0.0.1-SNAPSHOT.jar")


def test_maven_to_jre_alpine_and_distroless() -> None:
    found = actions(MAVEN)
    assert [a.title for a in found] == [
        "Split into build and runtime stages (runtime on eclipse-temurin:21-jre)",
        "Split into build and runtime stages (runtime on eclipse-temurin:21-jre-alpine — musl)",
        "Split into build and runtime stages "
        "(runtime on gcr.io/distroless/java21-debian13:nonroot)",
    ]
    assert apply_edits(MAVEN, found[0].edits) == MAVEN_JRE
    distroless = by_image(found, "gcr.io/distroless/java21-debian13:nonroot")
    assert apply_edits(MAVEN, distroless.edits) == MAVEN_DISTROLESS
    assert any('loses its leading "java"' in w for w in distroless.warnings)
    alpine = by_image(found, "eclipse-temurin:21-jre-alpine")
    assert "RUN adduser -D app" in apply_edits(MAVEN, alpine.edits)
    for action in found:
        assert action.ecosystem == "java"
        assert_properties(MAVEN, action)


GRADLE = """\
FROM gradle:8.7-jdk17
WORKDIR /home/gradle/project
COPY --chown=gradle:gradle . .
RUN gradle bootJar --no-daemon
ENTRYPOINT ["java", "-Xmx512m", "-jar", "build/libs/service.jar"]
"""


def test_gradle_exec_entrypoint_runs_on_distroless_unchanged() -> None:
    found = actions(GRADLE)
    assert [a.runtime_image for a in found] == [
        "eclipse-temurin:17-jre",
        "eclipse-temurin:17-jre-alpine",
        "gcr.io/distroless/java17-debian13:nonroot",
    ]
    for action in found:
        result = assert_properties(GRADLE, action)
        assert (
            " /home/gradle/project/build/libs/service.jar "
            "/home/gradle/project/build/libs/service.jar\n" in result
        )
        assert result.endswith(
            'ENTRYPOINT ["java", "-Xmx512m", "-jar", "build/libs/service.jar"]\n'
        )


def test_shell_glob_is_copied_into_its_directory() -> None:
    text = MAVEN.replace(
        'CMD ["java", "-jar", "target/demo-0.0.1-SNAPSHOT.jar"]', "CMD java -jar target/*.jar"
    )
    found = actions(text)
    # shell form: no distroless
    assert [a.runtime_image for a in found] == [
        "eclipse-temurin:21-jre",
        "eclipse-temurin:21-jre-alpine",
    ]
    for action in found:
        result = assert_properties(text, action)
        assert "COPY --from=build --chown=app /app/target/*.jar /app/target/\n" in result


def test_existing_user_is_kept() -> None:
    text = MAVEN.replace("EXPOSE 8080", "USER 1000\nEXPOSE 8080")
    for action in actions(text):
        result = assert_properties(text, action)
        assert "useradd" not in result and "adduser" not in result
        assert result.count("USER") == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("FROM maven:3.9-eclipse-temurin-21", "FROM maven:3.9.9"), "does not know which Java"),
        (
            (
                'CMD ["java", "-jar", "target/demo-0.0.1-SNAPSHOT.jar"]',
                'CMD ["mvn", "spring-boot:run"]',
            ),
            "java -jar",
        ),
        (("target/demo-0.0.1-SNAPSHOT.jar", "/opt/app.jar"), "not a jar the build writes"),
        (("RUN mvn -B package -DskipTests", "RUN mvn -f api/pom.xml package"), "another directory"),
        (("RUN mvn -B dependency:go-offline", "RUN mvn -B install"), "more than one"),
    ],
    ids=[
        "unknown-java-version",
        "spring-boot-run",
        "jar-elsewhere",
        "pom-elsewhere",
        "two-builds",
    ],
)
def test_refusals_say_why(change: tuple[str, str], reason: str) -> None:
    text = MAVEN.replace(*change)
    assert text != MAVEN
    assert actions(text) == []
    assert reason in reasons(text)[0], reasons(text)


MAVEN_NO_WORKDIR_JRE = """\
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /app
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests

FROM eclipse-temurin:21-jre
WORKDIR /app
RUN useradd --create-home app
COPY --from=build --chown=app {jar} {jar}
RUN chown app /app
USER app
EXPOSE 8080
CMD ["java", "-jar", "target/demo-0.0.1-SNAPSHOT.jar"]
""".format(jar="/app/target/demo-0.0.1-SNAPSHOT.jar")


def test_no_workdir_works_in_app_and_says_so() -> None:
    text = MAVEN.replace("WORKDIR /app\n", "")
    found = actions(text)
    assert [a.runtime_image for a in found] == [
        "eclipse-temurin:21-jre",
        "eclipse-temurin:21-jre-alpine",
        "gcr.io/distroless/java21-debian13:nonroot",
    ]
    jre = by_image(found, "eclipse-temurin:21-jre")
    assert apply_edits(text, jre.edits) == MAVEN_NO_WORKDIR_JRE
    for action in found:
        assert_properties(text, action)
        assert (
            "There was no WORKDIR before the build on line 5: both stages now work in /app "
            "(WORKDIR /app added after FROM). The original built in the base image's own "
            "working directory, which dockerls does not know, so this is a change: the "
            "sources are copied to /app and the jar is built there; check any absolute path "
            "that relied on the old directory."
        ) in action.warnings


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (  # the jar by an absolute path: where the base image's directory put it
            MAVEN.replace("WORKDIR /app\n", "").replace('"target/demo', '"/target/demo'),
            "There is no WORKDIR before the build on line 5, and the container runs "
            "/target/demo-0.0.1-SNAPSHOT.jar by an absolute path, which depends on the base "
            "image's own working directory; add `WORKDIR /app` first and run the jar by a "
            "path under it.",
        ),
        (  # a WORKDIR after the build: the original's own layout, left to the user
            MAVEN.replace("WORKDIR /app\n", "").replace("EXPOSE", "WORKDIR /srv\nEXPOSE"),
            "There is no WORKDIR before the build on line 5, so it depends on the base "
            "image's own working directory; add `WORKDIR /app` (or another absolute path) "
            "first.",
        ),
    ],
    ids=["absolute-jar", "workdir-after-build"],
)
def test_no_workdir_refusals(text: str, reason: str) -> None:
    assert actions(text) == []
    assert reasons(text) == [reason]


def test_no_build_is_a_reason() -> None:
    text = """\
FROM eclipse-temurin:17
WORKDIR /app
COPY target/app.jar app.jar
ENTRYPOINT ["java", "-jar", "app.jar"]
"""
    assert actions(text) == []
    assert "No Maven or Gradle build" in reasons(text)[0]


@pytest.mark.parametrize("text", [MAVEN, GRADLE], ids=["maven", "gradle"])
def test_variants_are_split_correctly_or_refused(text: str) -> None:
    check_variants(text)


# The corpus's shape (issue 15): no tag, no WORKDIR, shell-form start.
UNTAGGED = """\
FROM maven
COPY . .
RUN mvn package
ENTRYPOINT java -jar target/demo-0.0.1-SNAPSHOT.jar
"""

UNTAGGED_JRE = """\
FROM maven AS build
WORKDIR /app
COPY . .
RUN mvn package

FROM eclipse-temurin:26-jre
WORKDIR /app
RUN useradd --create-home app
COPY --from=build --chown=app {jar} {jar}
RUN chown app /app
USER app
ENTRYPOINT java -jar target/demo-0.0.1-SNAPSHOT.jar
""".format(jar="/app/target/demo-0.0.1-SNAPSHOT.jar")


def test_untagged_maven_runs_on_the_java_its_image_carries_and_says_so() -> None:
    found = actions(UNTAGGED)
    # shell-form ENTRYPOINT: no distroless (and there is no distroless java26)
    assert [a.runtime_image for a in found] == [
        "eclipse-temurin:26-jre",
        "eclipse-temurin:26-jre-alpine",
    ]
    assert apply_edits(UNTAGGED, found[0].edits) == UNTAGGED_JRE
    for action in found:
        assert_properties(UNTAGGED, action)
        assert any("WORKDIR /app added after FROM" in w for w in action.warnings)
        note = next(w for w in action.warnings if w.startswith("maven names no Java version"))
        assert note.startswith(
            "maven names no Java version: the runtime is a Java 26 JRE because that tag's "
            "image carried JDK 26 (carlossg/docker-maven common.sh, where the official maven "
            "image's default JDK is set, as of 2026-08)."
        )
        assert "UnsupportedClassVersionError" in note
        assert "Pin the builder to the runtime's Java (e.g. `maven:3.9-eclipse-temurin-26`)" in (
            note
        )


@pytest.mark.parametrize(
    ("image", "pinned"),
    [
        ("maven:latest", "maven:3.9-eclipse-temurin-26"),
        ("maven:3.9.16", "maven:3.9.16-eclipse-temurin-26"),
        ("maven:3-eclipse-temurin", "maven:3-eclipse-temurin-26"),
    ],
)
def test_untagged_maven_pin_follows_the_tag(image: str, pinned: str) -> None:
    text = UNTAGGED.replace("FROM maven", f"FROM {image}")
    found = actions(text)
    assert found[0].runtime_image == "eclipse-temurin:26-jre"
    assert all(any(f"e.g. `{pinned}`" in w for w in a.warnings) for a in found)


def test_gradle_8_runs_on_java_21_and_may_use_distroless() -> None:
    text = GRADLE.replace("FROM gradle:8.7-jdk17", "FROM gradle:8")
    found = actions(text)
    assert [a.runtime_image for a in found] == [
        "eclipse-temurin:21-jre",
        "eclipse-temurin:21-jre-alpine",
        "gcr.io/distroless/java21-debian13:nonroot",
    ]
    for action in found:
        result = assert_properties(text, action)
        assert result.startswith("FROM gradle:8 AS build\n")
        note = next(w for w in action.warnings if w.startswith("gradle:8 names no Java"))
        assert "JDK 21 (keeganwitt/docker-gradle" in note and "as of 2025-08" in note
        assert "`gradle:8-jdk21`" in note


def test_a_tag_that_names_its_java_has_no_such_note() -> None:
    for action in actions(MAVEN):
        assert not any("names no Java version" in w for w in action.warnings)


@pytest.mark.parametrize("text", [UNTAGGED], ids=["untagged-maven"])
def test_untagged_variants_are_split_correctly_or_refused(text: str) -> None:
    check_variants(text)
