// Shared by the benchmarks: the emulator as its own process (its CPU and RSS are its own), pinned to the emulator's
// core when scripts/bench.mjs pinned this process to the portal's (BENCH_EMULATOR_CPU, see scripts/bench.mjs).
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { stopChild } from "./child";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

/** [command, args] for a child on the emulator's core: `taskset -c CPU …` when the bench pinned itself, else as is. */
export function onEmulatorCpu(command: string, args: string[]): [string, string[]] {
  const cpu = process.env.BENCH_EMULATOR_CPU;
  return cpu ? ["taskset", ["-c", cpu, command, ...args]] : [command, args];
}

/** Resident set of a process (MB), from /proc. */
export function rssMbOf(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export interface EmulatorOptions {
  devices: number;
  firstIp: string;
  /** host:port of the control surface. */
  control: string;
  username: string;
  password: string;
  httpPort?: number;
}

export interface RunningEmulator {
  child: ChildProcess;
  /** The emulator's own pid (under taskset, the exec'd node keeps taskset's pid). */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Starts `--devices N --no-sip` phones and waits for "emulator ready:". */
export async function startEmulator(o: EmulatorOptions): Promise<RunningEmulator> {
  const [command, args] = onEmulatorCpu(process.execPath, [
    "--import", "tsx", "emulator/src/cli.ts", "--devices", String(o.devices), "--first-ip", o.firstIp, "--http-port", String(o.httpPort ?? 8080), "--no-sip",
    "--username", o.username, "--password", o.password, "--control-host", o.control.split(":")[0], "--control-port", o.control.split(":")[1],
  ]);
  const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let ready = false;
  child.stdout!.on("data", (chunk) => {
    if (String(chunk).includes("emulator ready:")) ready = true;
  });
  while (!ready) {
    if (child.exitCode !== null) throw new Error(`the emulator exited (code ${child.exitCode}) before it was ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, pid: child.pid, stop: () => stopChild(child, 15_000) };
}
