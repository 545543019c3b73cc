"""The reorder for Java: Maven and Gradle, with their wrapper scripts."""

from __future__ import annotations

from tests.actions.reorder.guarantees import context, rewrite


def test_maven_package_gets_go_offline_first() -> None:
    rewrite(
        "FROM maven:3.9-eclipse-temurin-21 AS build\nWORKDIR /build\nCOPY . .\n"
        "RUN mvn -B -Pprod package -DskipTests\n",
        expected="FROM maven:3.9-eclipse-temurin-21 AS build\nWORKDIR /build\nCOPY pom.xml ./\n"
        "RUN mvn -B -Pprod -DskipTests dependency:go-offline\nCOPY . .\n"
        "RUN mvn -B -Pprod package -DskipTests\n",
        instructions=6,
    )


def test_maven_wrapper_takes_its_script_and_directory() -> None:
    rewrite(
        "FROM eclipse-temurin:21-jdk\nWORKDIR /app\nCOPY . .\nRUN ./mvnw -q package\n",
        context("pom.xml mvnw mvnw.cmd", ".mvn src"),
        expected="FROM eclipse-temurin:21-jdk\nWORKDIR /app\nCOPY pom.xml mvnw ./\n"
        "COPY .mvn ./.mvn/\nRUN ./mvnw -B dependency:go-offline\nCOPY . .\n"
        "RUN ./mvnw -q package\n",
        instructions=7,
    )


def test_gradle_wrapper_with_a_context() -> None:
    rewrite(
        "FROM eclipse-temurin:21-jdk\nWORKDIR /app\nCOPY . .\nRUN ./gradlew bootJar --no-daemon\n",
        context("settings.gradle.kts build.gradle.kts gradle.properties gradlew", "gradle src"),
        expected="FROM eclipse-temurin:21-jdk\nWORKDIR /app\n"
        "COPY settings.gradle.kts build.gradle.kts gradle.properties gradlew ./\n"
        "COPY gradle ./gradle/\nRUN ./gradlew dependencies --no-daemon\nCOPY . .\n"
        "RUN ./gradlew bootJar --no-daemon\n",
        instructions=7,
    )
