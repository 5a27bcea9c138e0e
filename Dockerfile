# The app and the worker (docker-compose.yml runs both from this image: `npm start`, `npm run worker`, and the
# one-shot `npm run migrate`). Built from the lockfile (`npm ci`); nothing is downloaded when a container runs:
# ffmpeg/ffprobe come inside their npm packages, the embedded FerretDB is never used (DATABASE_URL is required).
# Node pinned to an exact release of the line the project runs on (package.json engines: >= 20.9).
FROM node:20.19.5-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# next build connects to no database (payload.config.ts: no DATABASE_URL, nothing connects).
RUN npm run build

FROM node:20.19.5-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000
# The whole tree, node_modules included: the worker and the ops scripts run TypeScript through tsx (scripts/run-ts.mjs).
COPY --from=build --chown=node:node /app ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 CMD ["node", "scripts/healthcheck.mjs", "app"]
CMD ["npm", "start"]
