// Shared by the benchmarks (bench/*.ts; a subfolder, so scripts/bench.mjs does not run it as one): stopping the processes a benchmark started.
import type { ChildProcess } from "node:child_process";

/** SIGTERM, wait up to `graceMs` for the exit, then SIGKILL. A child that already exited is left alone. */
export async function stopChild(child: ChildProcess | null, graceMs: number): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}
