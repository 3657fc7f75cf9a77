import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The test run builds into its own folder (see scripts/test.ts).
  // eslint-disable-next-line no-restricted-properties -- build-time switch, not app configuration
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // Native, WebAssembly or socket-heavy packages run as plain Node modules on the server.
  serverExternalPackages: [
    "@prisma/client",
    "@prisma/adapter-pg",
    "pg",
    "dockerode",
    "ssh2",
    "cpu-features",
    "tar-stream",
    "chardet",
    "iconv-lite",
    "unpdf",
  ],
  // `npm run typecheck` checks the whole project (npm test runs it); the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
