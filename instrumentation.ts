// Runs once when the server starts: open the database (applies migrations) and create the first admin.
export async function register(): Promise<void> {
  // The edge runtime has no filesystem or database driver; only the Node.js server does this.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/auth/startup");
  await startServer();
  // `npm run demo` hands over the emulated fleet's manifest so its phones appear in the inventory.
  if (process.env.SEED_MANIFEST) {
    const { seedFromManifest } = await import("./lib/inventory/seed");
    await seedFromManifest(process.env.SEED_MANIFEST);
  }
  // Live registration status (after migrations); POLLER=off leaves polling to another process or to nobody.
  if (process.env.POLLER !== "off") {
    const { startPoller, optionsFromEnv } = await import("./lib/poller");
    await startPoller(optionsFromEnv());
  }
  // The network side: registrars read as a second status source (REGISTRARS=off leaves it to another process).
  const { startNetworkServices } = await import("./lib/network-services");
  await startNetworkServices();
  // Push jobs: resume unfinished ones (after migrations, which startServer ran).
  const { startJobRunner } = await import("./lib/jobs");
  startJobRunner();
}
