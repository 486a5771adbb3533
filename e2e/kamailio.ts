// A real Kamailio for a spec (the vitest harness in emulator/test/support is ESM-only; Playwright loads specs as
// CommonJS). Same config file; every path absolute (Kamailio chdirs to "/"). Ready = it answers a SIP OPTIONS.
import { spawn, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const BIN = "/usr/sbin/kamailio";
const CONFIG = path.resolve(__dirname, "../emulator/test/support/kamailio.cfg");

export const kamailioInstalled = () => existsSync(BIN);

/** One OPTIONS from an ephemeral port; true when any SIP response arrives within `ms`. */
function answersOptions(host: string, port: number, ms = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket("udp4");
    const done = (v: boolean) => {
      clearTimeout(timer);
      sock.close();
      resolve(v);
    };
    const timer = setTimeout(() => done(false), ms);
    sock.on("message", (m) => done(m.toString().startsWith("SIP/2.0 ")));
    sock.on("error", () => done(false));
    sock.bind(0, host, () => {
      const { port: local } = sock.address();
      const branch = `z9hG4bK${Math.random().toString(36).slice(2)}`;
      const msg = [
        `OPTIONS sip:${host}:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${host}:${local};branch=${branch};rport`,
        "Max-Forwards: 70",
        `From: <sip:e2e@${host}>;tag=${branch.slice(-6)}`,
        `To: <sip:${host}:${port}>`,
        `Call-ID: ${branch}@e2e`,
        "CSeq: 1 OPTIONS",
        "Content-Length: 0",
        "",
        "",
      ].join("\r\n");
      sock.send(msg, port, host);
    });
  });
}

export class E2eKamailio {
  private child: ChildProcess | null = null;
  private readonly runDir = mkdtempSync(path.join(tmpdir(), "e2e-kamailio-"));
  constructor(readonly host: string, readonly port = 5060) {}

  async start(): Promise<void> {
    const args = ["-f", CONFIG, "-l", `udp:${this.host}:${this.port}`, "-T", "-S", "-DD", "-E", "-m", "32", "-M", "4", "-P", path.join(this.runDir, "pid"), "-Y", this.runDir];
    // Its own process group, signalled as one: Kamailio's forked workers hold the socket (emulator/test/support/kamailio.ts).
    this.child = spawn(BIN, args, { stdio: "ignore", detached: true });
    const deadline = Date.now() + 15_000;
    while (!(await answersOptions(this.host, this.port))) if (Date.now() > deadline) throw new Error(`Kamailio on ${this.host}:${this.port} did not come up`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    const group = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        /* gone */
      }
    };
    group("SIGTERM");
    const killer = setTimeout(() => group("SIGKILL"), 10_000);
    await exited;
    clearTimeout(killer);
    group("SIGKILL"); // workers that outlived their main process
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.runDir, { recursive: true, force: true });
  }
}
