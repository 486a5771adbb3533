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

/**
 * A fleet of `devices` phones over several emulator processes of at most `perProcess` phones each: every phone is
 * a listening socket plus one held long-poll socket in the emulator, and the fd limit here is 20,000 per process,
 * so 10,000 held phones do not fit in one. Process j serves the phones from index j·perProcess, its control surface
 * on the control host + j (last octet).
 */
export async function startEmulators(o: EmulatorOptions & { perProcess?: number }): Promise<{ pids: (number | undefined)[]; controlFor(index: number): string; stop(): Promise<void> }> {
  const per = o.perProcess ?? 6_000;
  const [host, port] = o.control.split(":");
  const octets = host.split(".").map(Number);
  const { nthIp } = await import("../../emulator/src/fleet/ip");
  const controlOf = (j: number) => `${[...octets.slice(0, 3), octets[3] + j].join(".")}:${port}`;
  const parts: RunningEmulator[] = [];
  try {
    for (let j = 0; j * per < o.devices; j++)
      parts.push(await startEmulator({ ...o, devices: Math.min(per, o.devices - j * per), firstIp: nthIp(o.firstIp, j * per), control: controlOf(j) }));
  } catch (error) {
    await Promise.all(parts.map((p) => p.stop()));
    throw error;
  }
  return {
    pids: parts.map((p) => p.pid),
    controlFor: (index) => controlOf(Math.floor(index / per)),
    stop: async () => void (await Promise.all(parts.map((p) => p.stop()))),
  };
}
