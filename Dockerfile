# syntax=docker/dockerfile:1
# Node.js major version of both stages (supported: 20, 22, 24); e.g. docker build --build-arg NODE_VERSION=22 .
ARG NODE_VERSION=24

# Build: compile TypeScript and bundle it (esbuild) with dev dependencies, then keep only production ones.
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/bundle.mjs ./scripts/
RUN npm run build && npm prune --omit=dev

# Run: non-root, database and seeds on volumes.
FROM node:${NODE_VERSION}-slim
ENV NODE_ENV=production \
    CYBERBRIEF_DB=/var/lib/cyberbrief/cyberbrief.db \
    CYBERBRIEF_SEEDS_DIR=/seeds \
    CYBERBRIEF_HTTP_PORT=8080
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/bundle ./dist/bundle
COPY package.json ./
COPY data ./data
COPY config ./config
COPY seeds /seeds
# The ENV paths above are the defaults: an --env-file that leaves CYBERBRIEF_DB and CYBERBRIEF_SEEDS_DIR unset (as
# .env.example does) keeps them. User node is uid 1000: a host folder bind-mounted on a volume must be writable by it.
RUN mkdir -p /var/lib/cyberbrief && chown -R node:node /var/lib/cyberbrief /seeds
USER node
VOLUME ["/var/lib/cyberbrief", "/seeds"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.CYBERBRIEF_HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "dist/bundle/cyberbrief.js"]
CMD ["run"]
