# syntax=docker/dockerfile:1
# CIS collector image: `bottlerocket-eks cis collect` (src/cis/README.md). Build with
#   docker build -t <registry>/bottlerocket-eks-cis-collector:<version> .
# and put the pushed digest in platform.yaml `cis.image` (the PolicyException matches the
# repository name bottlerocket-eks-cis-collector and requires a digest).
#
# Base image pinned by its multi-arch index digest (amd64 and arm64 nodes). The digest was taken
# from a public BuildKit build log that resolved
# `docker.io/library/node:20-bookworm-slim@sha256:2cf067cf...` (found with the project's public
# code search, Nov 2026); re-pin with `docker buildx imagetools inspect node:20-bookworm-slim`.
ARG NODE_IMAGE=node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0

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
ENV NODE_ENV=production
# The collector logs one JSON line per report on stderr; the AWS SDK's multi-line notice that
# SDK releases after January 2027 need Node 22 would break that stream. The Node version is
# pinned by digest above, so the notice belongs in the project's upgrade plan, not in node logs.
ENV AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/build ./build
COPY package.json ./
COPY bin ./bin
# The image's `node` user; the pod adds the API socket's group (see cis-collector.ts).
USER 1000:1000
ENTRYPOINT ["node", "/app/bin/bottlerocket-eks.js"]
CMD ["cis", "collect", "--loop"]
