// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Several builds may run side by side (tests, helpers); each can pick its own output folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Loaded by Node at run time, not bundled: pg-boss and pg (native-ish, dynamic requires), pino (worker threads).
  serverExternalPackages: ["pg", "pg-boss", "pino"],
  poweredByHeader: false,
  // The emulator is a separate program (it never imports the portal); keep it out of type-checking here.
  typescript: { tsconfigPath: "tsconfig.json" },
};
module.exports = nextConfig;
