// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Several builds may run side by side (tests, helpers); each can pick its own output folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // PGlite loads its wasm/data files by path at run time; bundling it breaks that.
  serverExternalPackages: ["@electric-sql/pglite", "pino"],
  poweredByHeader: false,
  // The emulator is a separate program (it never imports the portal); keep it out of type-checking here.
  typescript: { tsconfigPath: "tsconfig.json" },
};
module.exports = nextConfig;
