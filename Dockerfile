# Dispatch for Slack: build stage (every dependency, the compile), then a runtime stage with
# production dependencies only. tests/faults/dockerfile.test.ts runs these very steps in a clean
# folder, so keep every RUN a plain shell command.

FROM node:20-bookworm AS build
WORKDIR /app
# Dependencies first, so a change to the sources reuses this layer.
COPY package.json package-lock.json ./
# Scripts off: `prepare` would compile before the sources are copied. better-sqlite3's native
# module is then built on its own (python3, make and g++ are in this image).
RUN npm ci --ignore-scripts --no-audit --no-fund
RUN npm rebuild better-sqlite3
COPY . .
RUN npm run build
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
# tini as PID 1 forwards SIGTERM to node and reaps children; node itself is then never PID 1.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
ENV PORT=3000
ENV DATABASE_URL=sqlite:/data/dispatch.db
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# Ready means: database answers, bot identity known, Socket Mode connected, not draining.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/app.js"]
