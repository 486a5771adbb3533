// `npm run worker` processes for the workers suites: spawned on this test file's database (DATABASE_URL and
// SECRET_KEY are inherited), with their exit observable.
import { spawn, type ChildProcess } from "node:child_process";

const children = new Set<ChildProcess>();

export interface Worker {
  child: ChildProcess;
  /** Resolves with the output once the worker says "ready" (or with the output of a failed start). */
  ready: Promise<string>;
  exited: Promise<number | null>;
}

export function worker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ["--require", "./scripts/support/server-process.cjs", "--import", "tsx", "scripts/worker.ts"], {
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const ready = new Promise<string>((resolve) => {
    child.stdout!.on("data", (d: Buffer) => ((out += d.toString()), /ready/.test(out) && resolve(out)));
    child.on("exit", (code) => resolve(`exited ${code}: ${out.slice(-2000)}`));
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => (children.delete(child), resolve(code))));
  return { child, ready, exited };
}

/** afterAll: nothing outlives the test file. */
export function killWorkers(): void {
  for (const c of children) c.kill("SIGKILL");
}

export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
