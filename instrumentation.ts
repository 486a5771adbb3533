// Runs once when the server starts: open the database (applies migrations) and create the first admin.
export async function register(): Promise<void> {
  // The edge runtime has no filesystem or PGlite; only the Node.js server does this.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/auth/startup");
  await startServer();
}
