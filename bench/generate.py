"""Generate realistic Dockerfiles of a given size, for benchmarks (deterministic)."""

from __future__ import annotations

STAGE = """\
# stage {i}: build the {i}th component
FROM node:20-bookworm AS build{i}
ARG VERSION_{i}=1.{i}.0
ENV NODE_ENV=production APP_{i}="component {i}"
WORKDIR /src/{i}
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
RUN apt-get update \\
    && apt-get install -y --no-install-recommends curl ca-certificates \\
    # keep the image small
    && rm -rf /var/lib/apt/lists/*
COPY . .
RUN <<EOF
set -eux
npm run build -- --out dist/{i}
EOF
LABEL org.opencontainers.image.version=$VERSION_{i}
"""

FINAL = """\
FROM gcr.io/distroless/nodejs20-debian12:nonroot
COPY --from=build0 /src/0/dist /app
USER nonroot
CMD ["/app/server.js"]
"""


def dockerfile(lines: int) -> str:
    """About ``lines`` lines: as many build stages as fit, then a distroless runtime."""
    per_stage = STAGE.count("\n")
    stages = max(1, (lines - FINAL.count("\n")) // per_stage)
    return "".join(STAGE.format(i=i) for i in range(stages)) + FINAL
