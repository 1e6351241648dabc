# Context Services, production image: `docker build -t context-services .`
# Build stage: every dependency, compile TypeScript, then drop the development dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY console ./console
RUN npm run build && npm prune --omit=dev

# Runtime stage: the compiled service and its production dependencies only, run as the unprivileged `node`.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The embedded database's file lives in data/ when no DATABASE_URL is given.
RUN mkdir data && chown node:node data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The service keeps its heap near what is live by itself (V8's heap-growing-percent, set at boot: about
# 200 MB resident at 32 busy connections); -e HEAP_GROWING_PERCENT=20 trades a few percent of throughput
# for 15 MB less (see README, Memory).
# node itself as PID 1 receives SIGTERM from `docker stop` and shuts down gracefully (exit 0).
CMD ["node", "dist/src/main"]
