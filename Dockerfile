# syntax=docker/dockerfile:1.7
# L1 Troubleshooting System: one image (`l1-integrated`) for the web app + API, the analysis workers, the
# scheduled folder analysis and the migrations. Build: deploy/aws/build-and-push.sh, or
#   docker build -t l1-integrated:0.1.0 .                        (talks to ClickHouse/PostgreSQL servers)
#   docker build --build-arg EMBEDDED=1 -t l1-integrated:0.1.0-embedded .   (adds the embedded chDB engine)
# Runs as uid 1001 with a read-only root filesystem: /tmp and /data are the writable volumes.

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- build: all dependencies, compile the workspaces and the web app ----------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
# Manifests first: the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/capture/package.json packages/capture/
COPY packages/detect/package.json packages/detect/
COPY packages/store/package.json packages/store/
COPY packages/advisor/package.json packages/advisor/
COPY packages/pipeline/package.json packages/pipeline/
COPY apps/server/package.json apps/server/
COPY apps/cli/package.json apps/cli/
COPY apps/web/package.json apps/web/
# Dependency install scripts stay off, as in development (prebuilt binaries only).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && node deploy/docker/assemble.mjs /out

# ---- runtime: production dependencies and the built files only ----------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# EMBEDDED=1 keeps chDB (≈550 MB) for the embedded single-process mode; the default image talks to a
# ClickHouse server (CLICKHOUSE_URL) and the store loads chDB only when an embedded store is opened.
ARG EMBEDDED=0
ENV NODE_ENV=production \
    PORT=5000 \
    L1T_DATA_DIR=/data \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=build /out/manifests/ ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && if [ "$EMBEDDED" != "1" ]; then rm -rf node_modules/chdb node_modules/@chdb; fi \
 && npm cache clean --force \
 && rm -rf /root/.npm /tmp/*
COPY --from=build /out/app/ ./
# uid/gid 1001 (the manifests' runAsUser); writable places are volumes, the rest stays read-only.
RUN groupadd --gid 1001 l1t \
 && useradd --uid 1001 --gid 1001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin l1t \
 && mkdir -p /data /app/uploads /app/input_files \
 && chown 1001:1001 /data /app/uploads /app/input_files
USER 1001:1001
VOLUME ["/tmp", "/data"]
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 5000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/server/dist/main.js"]
