// The emulator is a separate program: nothing under emulator/ may import the portal (lib/, app/, components/, "@/").
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");
const REPO = path.resolve(ROOT, "..");
const PORTAL = ["lib", "app", "components"].map((d) => path.join(REPO, d) + path.sep);

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(full);
      return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(e.name) ? [full] : [];
    }),
  );
  return nested.flat();
}

/** Every module specifier in import/export-from/require/dynamic import statements. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["'`]([^"'`]+)["'`]/gm;
  for (const match of source.matchAll(pattern)) found.push(match[1]);
  return found;
}

function portalImport(file: string, spec: string): boolean {
  if (spec === "@" || spec.startsWith("@/")) return true;
  if (!spec.startsWith(".")) return false;
  const target = path.resolve(path.dirname(file), spec) + path.sep;
  return PORTAL.some((p) => target.startsWith(p));
}

describe("emulator independence", () => {
  it("finds the import forms it checks (guards the checker itself)", () => {
    const sample = `import a from "@/lib/x";\nexport { b } from '../lib/y';\nconst c = require("./z");\nawait import("@/app/w");\nimport "side-effect";`;
    expect(specifiers(sample)).toEqual(["@/lib/x", "../lib/y", "./z", "@/app/w", "side-effect"]);
    expect(portalImport(path.join(ROOT, "src/cli.ts"), "../../lib/params/catalog")).toBe(true);
    expect(portalImport(path.join(ROOT, "src/cli.ts"), "./fleet/index")).toBe(false);
  });

  it("no file under emulator/ imports from lib/, app/, components/ or @/", async () => {
    const files = await sourceFiles(ROOT);
    expect(files.length).toBeGreaterThan(5);
    const offenders: string[] = [];
    // This file's own sample imports are test data, not imports.
    for (const file of files.filter((f) => f !== __filename)) {
      const source = await readFile(file, "utf8");
      for (const spec of specifiers(source))
        if (portalImport(file, spec)) offenders.push(`${path.relative(REPO, file)} imports ${spec}`);
    }
    expect(offenders).toEqual([]);
  });
});
