import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(__dirname),
      "server-only": path.resolve(__dirname, "tests/support/server-only-stub.ts"),
    },
  },
  test: {
    // e2e/ belongs to Playwright; vitest must not collect it.
    include: ["lib/**/*.test.ts", "components/**/*.test.ts", "tests/**/*.test.ts", "emulator/**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", "data/**"],
    // One embedded PostgreSQL for the run; every test file gets its own database from a migrated template.
    globalSetup: ["tests/support/global-postgres.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration suites start emulators/Kamailio on fixed loopback addresses; run files one at a time.
    fileParallelism: false,
  },
});
