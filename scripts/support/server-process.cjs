// Preload for the portal's own Node processes outside Next (`npm run worker`, backup/restore): modules marked
// `import "server-only"` are meant for exactly such a server process, but the marker throws unless React's
// "react-server" condition is on — and turning that condition on globally would also swap React for its server
// build. So only the marker is mapped to its own no-op file.
const Module = require("node:module");
const path = require("node:path");
const empty = path.join(path.dirname(require.resolve("server-only")), "empty.js");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, request === "server-only" ? empty : request, ...rest);
};
