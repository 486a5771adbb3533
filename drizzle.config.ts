// drizzle-kit: `npm run db:generate` writes SQL migrations into drizzle/ (committed; applied at start by lib/db).
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema.ts",
  out: "./drizzle",
});
