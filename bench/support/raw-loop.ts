// The HTTP ceiling of bench/poller.ts in its own process (so its 10,000 connections and garbage are not counted in
// the portal process's RSS), on the portal's core (it inherits the bench's CPU affinity): the poller's exchange
// without the poller — a conditional GET /status with the phone's last ETag (mostly 304s, as the poller sends) over
// all phones round-robin at CONCURRENCY, through the portal's own device connection pool (lib/device/dispatcher.ts),
// first a warm-up (every ETag known, code warm), then the measured stretch. Prints one JSON line:
// {ok, failed, ms, cpuUs} (cpuUs: this process's CPU time in the measured stretch).
//   node --import tsx bench/support/raw-loop.ts FIRST_IP COUNT PORT CONCURRENCY WARMUP_MS MS USER PASS
require("../../tests/jobs/support/server-only-off.cjs");
import { request } from "undici";
import { nthIp } from "../../emulator/src/fleet/ip";

const [firstIp, count, port, concurrency, warmupMs, ms, user, pass] = process.argv.slice(2);
if (!pass) throw new Error("usage: raw-loop.ts FIRST_IP COUNT PORT CONCURRENCY WARMUP_MS MS USER PASS");
const AUTH = `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
const addresses = Array.from({ length: Number(count) }, (_, i) => `${nthIp(firstIp, i)}:${port}`);

async function main(): Promise<void> {
  const { createDeviceDispatcher } = await import("@/lib/device");
  const agent = createDeviceDispatcher();
  const etags = new Map<string, string>();
  let next = 0;
  const loop = async (forMs: number) => {
    const until = Date.now() + forMs;
    let ok = 0;
    let failed = 0;
    const worker = async () => {
      while (Date.now() < until) {
        const address = addresses[next++ % addresses.length];
        const etag = etags.get(address);
        try {
          const res = await request(`http://${address}/api/v1/status`, {
            headers: { authorization: AUTH, accept: "application/json", ...(etag ? { "if-none-match": etag } : {}) },
            dispatcher: agent,
          });
          if (res.statusCode === 200) await res.body.json();
          else await res.body.dump();
          if (typeof res.headers.etag === "string") etags.set(address, res.headers.etag);
          if (res.statusCode === 200 || res.statusCode === 304) ok += 1;
          else failed += 1;
        } catch {
          failed += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Number(concurrency) }, worker));
    return { ok, failed };
  };
  await loop(Number(warmupMs));
  const cpu0 = process.cpuUsage();
  const start = Date.now();
  const { ok, failed } = await loop(Number(ms));
  const elapsed = Date.now() - start;
  const cpu = process.cpuUsage(cpu0);
  await agent.close();
  process.stdout.write(`${JSON.stringify({ ok, failed, ms: elapsed, cpuUs: cpu.user + cpu.system })}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`raw-loop: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
