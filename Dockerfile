# Livedesk app image: Node 20, built client, server run with tsx.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0
EXPOSE 8080
# Build once at image time; start the server directly (npm start would first check the build's hash).
CMD ["node", "--import", "tsx", "server/main.ts"]
