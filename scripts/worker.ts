// `npm run worker`: a portal process without the web side — it polls phones (unless POLLER=off) and runs push jobs
// (unless JOBS=off) on the same database as the web process (DATABASE_URL, or the embedded server of DATA_DIR,
// which it shares). Its events reach every web process through PostgreSQL NOTIFY. SIGTERM: finishes the pushes in
// flight, closes its pools and the database connection, exits 0.
process.env.SAP_PROCESS_KIND = "worker"; // before lib/env is first read (lib/db/presence tags the pool with it)

async function main(): Promise<void> {
  const { installSignalHandlers, shutdown, startProcess } = await import("@/lib/lifecycle");
  installSignalHandlers();
  try {
    await startProcess();
    console.log(`worker ${process.pid} ready`);
  } catch (err) {
    console.error(err);
    process.exit((await shutdown("start failed")) || 1);
  }
}

void main();
