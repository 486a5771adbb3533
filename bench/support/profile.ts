// The V8 CPU profiler of this process over the inspector: what `node --cpu-prof` records, for one stretch only
// (a benchmark's measured phase, not its set-up). The result opens in Chrome DevTools or speedscope.
export async function startProfile(): Promise<{ stop(): Promise<object> }> {
  const { Session } = await import("node:inspector");
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, r) => (err ? reject(err) : resolve(r))));
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 200 });
  await post("Profiler.start");
  return {
    async stop() {
      const { profile } = (await post("Profiler.stop")) as { profile: object };
      session.disconnect();
      return profile;
    },
  };
}
