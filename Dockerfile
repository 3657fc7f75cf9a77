# The Tidepool app image for docker-compose deployments. Sandboxes are siblings
# started through the host's Docker socket, not nested containers.
FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-save --no-audit --no-fund
COPY . .
RUN AUTH_SECRET=build-time-placeholder-not-used-at-run-time PRISMA_SCHEMA_URL=postgresql://x@localhost/x \
    node_modules/.bin/prisma generate && node_modules/.bin/next build
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 NEXT_TELEMETRY_DISABLED=1
EXPOSE 3000
CMD ["npm", "start"]
