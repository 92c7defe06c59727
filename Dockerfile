# syntax=docker/dockerfile:1
# CIS collector image: `bottlerocket-eks cis collect` (src/cis/README.md). Build with
#   docker build -t <registry>/bottlerocket-eks-cis-collector:<version> .
# and put the pushed digest in platform.yaml `cis.image` (the PolicyException matches the
# repository name bottlerocket-eks-cis-collector and requires a digest).
#
# Base: Node.js 24, the current LTS line (Node 20 reached end of life on 2026-04-30), pinned by
# digest. The digest is the one a BuildKit build log resolved for
# `docker.io/library/node:24-bookworm-slim@sha256:2fe369e9...`, as quoted in a public repository's
# build notes from October 2026 (found with the project's public code search, Dec 2026). BuildKit
# logs the tag's index digest, which serves amd64 and arm64 nodes; that, and the exact 24.x patch
# release behind it, could not be checked from here (no registry access): confirm and re-pin with
# `docker buildx imagetools inspect node:24-bookworm-slim` before the first push.
ARG NODE_IMAGE=node:24-bookworm-slim@sha256:2fe369e969550cde8e867afc3fe370b260140cab4a23d467074295b42163d553

# 1. Compile TypeScript with the dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# 2. Production dependencies only (no typescript, vitest, s3rver, aws-cdk CLI).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# 3. Runtime: compiled code, production node_modules, the launcher; nothing else.
FROM ${NODE_IMAGE}
# No switch for the AWS SDK's Node-version notice is needed: on Node 24 the SDK has nothing to warn about.
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/build ./build
COPY package.json ./
COPY bin ./bin
# The image's `node` user; the pod adds the API socket's group (see cis-collector.ts).
USER 1000:1000
ENTRYPOINT ["node", "/app/bin/bottlerocket-eks.js"]
CMD ["cis", "collect", "--loop"]
