/** @type {import('next').NextConfig} */
const nextConfig = {
  // NORTHSTAR_DIST_DIR lets two builds (say, two worktrees' test runs) live side by side.
  distDir: process.env.NORTHSTAR_DIST_DIR || ".next",
  // PGlite ships WebAssembly and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  // `npm run typecheck` checks the whole tree (tests included) as its own CI step; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  // Server actions take form posts; the /imports upload takes files up to 50 MB (plus multipart overhead).
  experimental: { serverActions: { bodySizeLimit: "51mb" } },
  // Baseline for every response, API and static files included; pages get the full set from proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
