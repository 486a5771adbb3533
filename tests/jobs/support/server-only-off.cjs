// Preload for plain Node processes (tests' child runner, the benchmark): `server-only` throws outside a React
// Server bundle, so map it to an empty module — the same stub vitest uses (vitest.config.ts alias).
const Module = require("node:module");
const path = require("node:path");
const stub = path.join(__dirname, "empty.cjs");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, request === "server-only" ? stub : request, ...rest);
};
