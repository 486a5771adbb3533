// vitest stand-in for the "server-only" marker package (its real entry throws outside the React server runtime).
export {};
