# syntax=docker/dockerfile:1.7
# One build for the workspace; each deployable is a target: platform-api, operator, portal.
FROM node:24-bookworm-slim AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH
RUN npm install --global pnpm@10
WORKDIR /repo

FROM base AS build
COPY . .
RUN pnpm install --frozen-lockfile && pnpm turbo run build
RUN pnpm deploy --filter @dezky/platform-api --prod --legacy /out/platform-api

FROM node:24-bookworm-slim AS platform-api
ENV NODE_ENV=production
# glibc makes a malloc arena per thread (libuv's pool, V8's workers); two keep ~35 MiB of RSS off
# at no measurable cost to throughput.
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /out/platform-api /app
USER node
EXPOSE 3001
# The node options of API_NODE_ARGS (packages/test-stack/src/api.ts), which says why.
CMD ["node", "--max-semi-space-size=8", "dist/main.js"]

# What both Nuxt apps' images share; each app's stage adds its built server.
FROM node:24-bookworm-slim AS nuxt-app
ENV NODE_ENV=production
WORKDIR /app
# NUXT_SESSION_STORE_DIR: a fresh volume mounted here takes this owner.
RUN mkdir -p /var/lib/dezky/sessions && chown node:node /var/lib/dezky/sessions
ENV NUXT_SESSION_STORE_DIR=/var/lib/dezky/sessions
USER node
EXPOSE 3000
CMD ["node", ".output/server/index.mjs"]

FROM nuxt-app AS operator
COPY --from=build /repo/apps/operator/.output /app/.output

FROM nuxt-app AS portal
COPY --from=build /repo/apps/portal/.output /app/.output
