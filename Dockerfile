# Livedesk app image: Node 20, built client, server run with tsx.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
# MALLOC_ARENA_MAX: glibc keeps a malloc arena per libvips thread; 2 caps the photo pipeline's memory.
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0 MALLOC_ARENA_MAX=2
EXPOSE 8080
# Build once at image time; start the server directly (npm start would first check the build's hash).
CMD ["node", "--import", "tsx", "server/main.ts"]
