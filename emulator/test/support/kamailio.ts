import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { SipEndpoint } from "../../src/sip/endpoint";
import { randomToken } from "../../src/sip/message";

// Starts and stops real Kamailio instances for the SIP integration tests (config: ./kamailio.cfg, see
// /work/shared/notes/toolchain.md §2). Every path handed to Kamailio is absolute: it chdirs to "/".

export const KAMAILIO_BIN = "/usr/sbin/kamailio";
export const KAMCMD_BIN = "/usr/sbin/kamcmd";
const CONFIG = fileURLToPath(new URL("./kamailio.cfg", import.meta.url));
const exec = promisify(execFile);

export function kamailioAvailable(): boolean {
  return existsSync(KAMAILIO_BIN) && existsSync(KAMCMD_BIN);
}

export interface KamailioOptions {
  host: string;
  port: number;
  /** Require digest auth (any user, this password). */
  authPassword?: string;
  /** Also serve JSON-RPC over HTTP (jsonrpcs + xhttp) at http://host:rpcPort/RPC. */
  rpcPort?: number;
}

// Kamailio forks workers that hold its sockets. Each instance runs in its own process group, signalled as a
// group: a SIGKILL of the main process alone would orphan the workers, which keep the address taken for every
// later run. Groups still alive when the test process exits (a failed start, a test that never reached its
// afterAll) are killed on the way out.
const liveGroups = new Set<number>();
process.once("exit", () => {
  for (const pgid of liveGroups) signalGroup(pgid, "SIGKILL");
});
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

export class Kamailio {
  readonly runDir = mkdtempSync(path.join(tmpdir(), "kamailio-"));
  private child: ChildProcess | null = null;
  private exited: Promise<void> | null = null;
  private log = "";

  constructor(readonly options: KamailioOptions) {}

  get address(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  /** JSON-RPC endpoint (rpcPort set). */
  get rpcUrl(): string | null {
    return this.options.rpcPort === undefined ? null : `http://${this.options.host}:${this.options.rpcPort}/RPC`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Starts the instance and waits until it answers an OPTIONS. */
  async start(): Promise<void> {
    if (this.child) return;
    const { host, port, authPassword, rpcPort } = this.options;
    const args = ["-f", CONFIG, "-l", `udp:${host}:${port}`, "-S", "-DD", "-E", "-m", "32", "-M", "4"];
    // -T turns TCP off, which the HTTP listener of JSON-RPC needs.
    if (rpcPort === undefined) args.push("-T");
    else args.push("-l", `tcp:${host}:${rpcPort}`, "-A", "WITH_RPC");
    args.push("-P", path.join(this.runDir, "kamailio.pid"), "-Y", this.runDir);
    if (authPassword !== undefined) args.push("-A", "WITH_AUTH", "-A", `AUTH_PASS="${authPassword}"`);
    const child = spawn(KAMAILIO_BIN, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
    const pgid = child.pid;
    if (pgid !== undefined) liveGroups.add(pgid);
    this.log = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-8000);
    });
    this.exited = new Promise((resolve) =>
      child.once("exit", () => {
        if (pgid !== undefined) {
          signalGroup(pgid, "SIGKILL"); // workers that outlived their main process
          liveGroups.delete(pgid);
        }
        resolve();
      }),
    );
    this.child = child;
    const deadline = Date.now() + 15_000;
    while (!(await this.answersOptions())) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await this.stop();
        throw new Error(`Kamailio on ${this.address} did not come up. Its log:\n${this.log}`);
      }
    }
  }

  /** SIGTERM to the group, then wait for the main process to exit (SIGKILL to the group after 10 s). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    const pgid = child.pid!;
    if (child.exitCode === null) signalGroup(pgid, "SIGTERM");
    const killer = setTimeout(() => signalGroup(pgid, "SIGKILL"), 10_000);
    await this.exited;
    clearTimeout(killer);
  }

  /** Stops the instance and removes its run directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.runDir, { recursive: true, force: true });
  }

  /** Contact URIs Kamailio holds for a user (empty when none). */
  async contacts(user: string): Promise<string[]> {
    const { stdout, stderr } = await this.kamcmd(["ul.lookup", "location", `s:${user}`]);
    const text = stdout + stderr;
    if (/AOR not found/i.test(text)) return [];
    return [...text.matchAll(/Address:\s*(\S+)/g)].map((m) => m[1]);
  }

  /** Raw `ul.dump` output. */
  async dump(): Promise<string> {
    return (await this.kamcmd(["ul.dump"])).stdout;
  }

  private async kamcmd(args: string[]): Promise<{ stdout: string; stderr: string }> {
    try {
      return await exec(KAMCMD_BIN, ["-s", `unix:${path.join(this.runDir, "kamailio_ctl")}`, ...args]);
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      if (e.stdout !== undefined || e.stderr !== undefined) return { stdout: e.stdout ?? "", stderr: e.stderr ?? e.message };
      throw err;
    }
  }

  private async answersOptions(): Promise<boolean> {
    // A throw-away endpoint on an ephemeral port of the same loopback address.
    const probe = new SipEndpoint({ address: this.options.host, port: 0 });
    await probe.start();
    try {
      const { host, port } = this.options;
      const result = await probe.request(
        { host, port },
        {
          kind: "request",
          method: "OPTIONS",
          uri: `sip:${host}:${port}`,
          headers: [
            ["max-forwards", "70"],
            ["from", `<sip:probe@${host}>;tag=${randomToken(4)}`],
            ["to", `<sip:${host}:${port}>`],
            ["call-id", randomToken(8)],
            ["cseq", "1 OPTIONS"],
          ],
          body: "",
        },
        { t1: 50, t2: 200 },
      );
      return result.kind === "response" && result.response.status === 200;
    } finally {
      await probe.stop();
    }
  }
}
