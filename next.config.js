// @ts-check

// Headers for every reply (pages get their nonce CSP from proxy.ts). HSTS only when the request came over HTTPS
// (a TLS-terminating proxy says so with X-Forwarded-Proto; browsers ignore HSTS over plain HTTP anyway).
const common = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Several builds may run side by side (tests, helpers); each can pick its own output folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Loaded by Node at run time, not bundled: pg (optional native bindings, dynamic requires), pino (worker threads).
  serverExternalPackages: ["pg", "pino"],
  poweredByHeader: false,
  // The emulator is a separate program (it never imports the portal); keep it out of type-checking here.
  typescript: { tsconfigPath: "tsconfig.json" },
  async headers() {
    return [
      { source: "/:path*", headers: common },
      {
        source: "/api/:path*",
        headers: [
          { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
          { key: "Cache-Control", value: "no-store" },
        ],
      },
      {
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }],
      },
    ];
  },
};
module.exports = nextConfig;
