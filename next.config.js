/** @type {import('next').NextConfig} */
const nextConfig = {
  // NORTHSTAR_DIST_DIR lets two builds (say, two worktrees' test runs) live side by side.
  distDir: process.env.NORTHSTAR_DIST_DIR || ".next",
  // PGlite ships WebAssembly and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
