// `npm run screenshots`: the README's screenshots (docs/screenshots/*.png) from a production build against the same
// emulated fleet as the e2e run. Its own test folder, so `npm test` never runs it.
import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

export default defineConfig({ ...base, testDir: "scripts/screenshots", timeout: 180_000 });
