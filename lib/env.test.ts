import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("environment", () => {
  it("applies the defaults when nothing is set (an empty value counts as unset)", () => {
    const e = parseEnv({ JOB_CONCURRENCY: "" });
    expect(e).toMatchObject({ JOB_CONCURRENCY: 8, JOB_MAX_ATTEMPTS: 3, POLL_INTERVAL_S: 15, DEVICE_TIMEOUT_MS: 5000, POLLER: "on", TRUST_PROXY: false, DATA_DIR: "./data", HEAP_GROWING_PERCENT: 50 });
  });

  it("parses numbers and flags", () => {
    expect(parseEnv({ JOB_CONCURRENCY: "3", POLL_INTERVAL_S: "0.5", TRUST_PROXY: "1", POLLER: "off" })).toMatchObject({ JOB_CONCURRENCY: 3, POLL_INTERVAL_S: 0.5, TRUST_PROXY: true, POLLER: "off" });
  });

  it.each([
    ["JOB_CONCURRENCY", "abc"],
    ["JOB_CONCURRENCY", "2.5"],
    ["POLL_INTERVAL_S", "-1"],
    ["DEVICE_TIMEOUT_MS", "0"],
    ["POLLER", "maybe"],
    ["TRUST_PROXY", "yes"],
    ["LOG_LEVEL", "loud"],
    ["HEAP_GROWING_PERCENT", "-5"],
    ["POLL_WAIT_S", "61"],
  ])("refuses %s=%s naming the variable", (name, value) => {
    let err: unknown;
    try {
      parseEnv({ [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvError);
    expect((err as EnvError).message).toContain(name);
    expect((err as EnvError).message).toContain(JSON.stringify(value));
    expect(Object.keys((err as EnvError).variables)).toEqual([name]);
  });

  it("is the only reader of process.env in the portal's code", () => {
    const root = path.resolve(__dirname, "..");
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) files.push(full);
      }
    };
    for (const d of ["lib", "app", "components"]) walk(path.join(root, d));
    files.push(path.join(root, "proxy.ts"));
    // Handing the whole environment on to a child process (`{ ...process.env, … }` for postgres, pg_dump) reads nothing.
    const readers = files.filter((f) => readFileSync(f, "utf8").replaceAll("...process.env", "").includes("process.env")).map((f) => path.relative(root, f));
    expect(readers).toEqual(["lib/env.ts"]);
    // instrumentation.ts only checks NEXT_RUNTIME (set by Next itself, before lib/env may be loaded).
    const inst = readFileSync(path.join(root, "instrumentation.ts"), "utf8").match(/process\.env\.\w+/g);
    expect(new Set(inst)).toEqual(new Set(["process.env.NEXT_RUNTIME"]));
  });
});
