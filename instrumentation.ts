// Runs once when the server starts: open the database (applies migrations) and create the first admin.
export async function register(): Promise<void> {
  // The edge runtime has no filesystem or database driver; only the Node.js server does this. (NEXT_RUNTIME is set by
  // Next itself, and lib/env is server-only, so this one check reads process.env directly.)
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env, EnvError } = await import("./lib/env");
  let settings;
  try {
    settings = env();
  } catch (err) {
    // A bad setting stops the start with the variable's name instead of running on NaN or a silent default.
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const { startServer } = await import("./lib/auth/startup");
  await startServer();
  // `npm run demo` hands over the emulated fleet's manifest so its phones appear in the inventory.
  if (settings.SEED_MANIFEST) {
    const { seedFromManifest } = await import("./lib/inventory/seed");
    await seedFromManifest(settings.SEED_MANIFEST);
  }
  // Live registration status (after migrations); POLLER=off leaves polling to another process or to nobody.
  if (settings.POLLER !== "off") {
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
