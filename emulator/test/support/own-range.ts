// Addresses of the suites added for issue 11/10 (helper range 127.62–127.63, so they need no shared lock).
// Each suite takes its own third octet so suites can run in parallel.
export const ownRange = (suite: number) => ({
  firstIp: `127.62.${suite}.1`,
  controlHost: `127.62.${suite}.250`,
  controlPort: 8099,
  device: (index: number, path: string, port = 8080) => `http://127.62.${suite}.${index + 1}:${port}${path}`,
  control: (path: string) => `http://127.62.${suite}.250:8099${path}`,
});
