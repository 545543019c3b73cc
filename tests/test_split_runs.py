"""What the runtime needs to run like the original (issue 14: failures real builds found).

One section per class: install flags carried over, the Debian release and build
packages of the runtime, tools the container runs, the runtime user's working
directory and the files the program reads, development dependencies the program
imports. Each has the situation and its fixed output or notes, and a trap that
stays as it was. Every offered split goes through ``assert_properties``.
"""

from __future__ import annotations

from dockerls.edits import apply_edits
from tests.test_split import actions, assert_properties, by_image

# --------------------------------------------------------------------------- install flags

NPM_FORCE = """\
FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm install --force --registry https://npm.example/ --no-audit --loglevel warn
COPY . .
RUN npm run build
CMD ["node", "dist/server.js"]
"""

NPM_FORCE_SLIM_TAIL = """\
FROM node:20-slim
WORKDIR /app
COPY --from=build /app/package*.json ./
RUN npm install --omit=dev --force --registry https://npm.example/ && npm cache clean --force
COPY --from=build /app/dist /app/dist
USER node
CMD ["node", "dist/server.js"]
"""


def test_the_runtime_install_repeats_the_resolution_flags() -> None:
    found = actions(NPM_FORCE)
    slim = by_image(found, "node:20-slim")
    result = assert_properties(NPM_FORCE, slim)
    assert result.endswith(NPM_FORCE_SLIM_TAIL)
    # distroless installs in its deps stage: the same flags there
    distroless = by_image(found, "gcr.io/distroless/nodejs20-debian12:nonroot")
    result = assert_properties(NPM_FORCE, distroless)
    assert (
        "RUN npm install --omit=dev --force --registry https://npm.example/ && npm cache clean "
        "--force\n"
    ) in result


NPM_PRUNED = """\
FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm ci --strict-peer-deps=false -f
COPY . .
CMD ["npm", "start"]
"""


def test_the_prune_repeats_the_resolution_flags() -> None:
    result = assert_properties(NPM_PRUNED, actions(NPM_PRUNED)[0])
    assert "FROM build AS deps\nRUN npm prune --omit=dev --strict-peer-deps=false -f\n" in result


def test_yarn_pnpm_and_bun_productions_installs_repeat_theirs() -> None:
    yarn = NPM_PRUNED.replace(
        "RUN npm ci --strict-peer-deps=false -f",
        "RUN yarn install --frozen-lockfile --ignore-engines --network-timeout 100000",
    ).replace("npm", "yarn")
    result = assert_properties(yarn, actions(yarn)[0])
    assert "RUN yarn install --production --ignore-engines && yarn cache clean\n" in result
    pnpm = NPM_PRUNED.replace(
        "RUN npm ci --strict-peer-deps=false -f",
        "RUN corepack enable && pnpm install --frozen-lockfile --ignore-scripts",
    ).replace('CMD ["npm", "start"]', 'CMD ["node", "server.js"]')
    result = assert_properties(pnpm, actions(pnpm)[0])
    assert "RUN pnpm prune --prod --ignore-scripts\n" in result


def test_trap_an_install_without_resolution_flags_gets_none() -> None:
    text = NPM_FORCE.replace(" --force --registry https://npm.example/", "")
    result = assert_properties(text, by_image(actions(text), "node:20-slim"))
    assert "RUN npm install --omit=dev && npm cache clean --force\n" in result
    plain = NPM_PRUNED.replace(" --strict-peer-deps=false -f", "")
    assert "RUN npm prune --omit=dev\n" in apply_edits(plain, actions(plain)[0].edits)
