/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets parallel checkouts/test runs build side by side (default .next).
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // chDB is a native addon holding one engine per process: never bundle it.
  serverExternalPackages: ['chdb', '@clickhouse/client', 'ua-parser-js', 'protobufjs'],
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: true }, // `npm run typecheck` is the type gate; the build stays fast
};

export default nextConfig;
