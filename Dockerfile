# One image for the web and worker processes (docker-compose picks the command).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY lib ./lib
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY web ./web
COPY cli ./cli
COPY emulator ./emulator
COPY tsconfig.json ./
USER node
EXPOSE 3000
CMD ["npx", "tsx", "web/main.ts"]
