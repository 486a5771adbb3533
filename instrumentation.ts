// Runs once when the server starts: migrations, the first admin, then this process's background work (lib/lifecycle:
// event relay, poller unless POLLER=off, network probes, job runner unless JOBS=off) and the SIGTERM shutdown.
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
  // Database, pools, event relay, poller, network probes, job runner — started in order, stopped in reverse on SIGTERM.
  const { installSignalHandlers, startProcess } = await import("./lib/lifecycle");
  await startProcess();
  installSignalHandlers();
  // `npm run demo` hands over the emulated fleet's manifest so its phones appear in the inventory.
  if (settings.SEED_MANIFEST) {
    const { seedFromManifest } = await import("./lib/inventory/seed");
    const added = await seedFromManifest(settings.SEED_MANIFEST, "demo", settings.SEED_PROVISIONING_CONFIG);
    // The demo's phones are read at once, so the bulk editor and device pages show what they hold.
    const { configReader } = await import("./lib/push/background");
    void configReader().readSoon(added);
  }
}
