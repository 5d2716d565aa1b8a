# The worker and the web app (one image, two commands). Debian, not Alpine: the Temporal
# worker's native bridge, sharp and better-sqlite3 ship prebuilt binaries for glibc.
FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
# Only used when a native module has no prebuilt binary for this platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Everything, dev dependencies included: the code runs as TypeScript through tsx.
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    QUIZ_VAR_DIR=/var/lib/quiz
COPY --from=dependencies /app/node_modules ./node_modules
COPY . .
RUN mkdir -p /var/lib/quiz && chown node:node /var/lib/quiz
USER node
# The worker by default; the app service runs app/main.ts instead.
CMD ["node_modules/.bin/tsx", "workers/main.ts"]
