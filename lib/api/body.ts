// Request bodies under limits that hold BEFORE any parsing: a byte limit per kind of route, enforced on the stream
// (a declared Content-Length over it is refused without reading; an undeclared or lying one is cut off at the
// limit), strict UTF-8, and JSON nesting-depth / key-count limits checked by a linear scan before JSON.parse.
// Every refusal is a 4xx and nothing is processed: a route only ever sees the whole body or an error.
//
// Why on the stream: `req.text()` would buffer whatever a client sends (10 MB of `[` cost seconds and hundreds of
// MB before). Why not Next's proxy: proxy.ts does not match /api, because a proxy makes Next buffer and silently
// TRUNCATE bodies at `proxyClientMaxBodySize` (10 MB), and a truncated CSV must never be half-imported.
import "server-only";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** Kinds of request body, each with its own byte limit (lib/env). */
export const BODY_KINDS = {
  /** Sign-in and other tiny forms. */
  auth: "BODY_LIMIT_AUTH",
  /** Ordinary JSON: device, config, bulk selections. */
  json: "BODY_LIMIT_JSON",
  /** File uploads: CSV import, config.cfg. */
  import: "BODY_LIMIT_IMPORT",
} as const;
export type BodyKind = keyof typeof BODY_KINDS;

export const JSON_MAX_DEPTH = 32;
export const JSON_MAX_KEYS = 20_000;

/** The byte limit of a kind. */
export function bodyLimit(kind: BodyKind): number {
  return env()[BODY_KINDS[kind]];
}

const limits = new WeakMap<Request, number>();

const human = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${+(bytes / 1024).toFixed(1)} KB` : `${bytes} bytes`;

const tooLarge = (limit: number) => new AppError("payload_too_large", `The request body can be at most ${human(limit)} here`);

/**
 * The handler wrapper's hook: records the route's limit for this request and refuses a declared Content-Length
 * over it at once (before authentication, so an anonymous huge body costs nothing).
 */
export function limitBody(req: Request, kind: BodyKind = "json"): void {
  const limit = bodyLimit(kind);
  limits.set(req, limit);
  const declared = req.headers.get("content-length");
  if (declared !== null && !/^\d+$/.test(declared.trim())) throw new AppError("bad_request", "Content-Length is not a number");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
}

/** The whole body as bytes, or 413 as soon as more than the limit arrived (the rest is never read). */
export async function readBytes(req: Request): Promise<Uint8Array> {
  const limit = limits.get(req) ?? bodyLimit("json");
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The client went away mid-body (or the framework cut it): never work on what arrived so far.
      throw new AppError("bad_request", "The request body ended early; nothing was processed");
    }
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(chunk.value);
  }
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) !== size) throw new AppError("bad_request", "The request body is shorter than its Content-Length; nothing was processed");
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The body as UTF-8 text; other encodings (e.g. Latin-1 from a spreadsheet) are refused, not turned into U+FFFD. */
export async function readText(req: Request): Promise<string> {
  const bytes = await readBytes(req);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new AppError("bad_request", `The request body is not UTF-8 text (invalid byte 0x${bytes[at]?.toString(16).padStart(2, "0")} at offset ${at}); save the file as UTF-8`);
  }
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search for the longest valid prefix (a cut inside a multi-byte character is valid in stream mode).
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

/**
 * Depth and key count of a JSON text, by one pass over it (strings skipped), so a hostile nesting or a flood of
 * keys is refused before JSON.parse builds anything.
 */
export function checkJsonShape(text: string, maxDepth = JSON_MAX_DEPTH, maxKeys = JSON_MAX_KEYS): void {
  let depth = 0;
  let keys = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) throw new AppError("bad_request", `The JSON body is nested more than ${maxDepth} levels deep`);
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x3a /* : */ && ++keys > maxKeys) throw new AppError("bad_request", `The JSON body has more than ${maxKeys} keys`);
  }
}

/** Reads a JSON body under the route's limits; malformed JSON is a 400, not a 500. */
export async function readJson(req: Request): Promise<unknown> {
  const text = await readText(req);
  if (!text.trim()) throw new AppError("bad_request", "The request body must be JSON");
  checkJsonShape(text);
  let value: unknown;
  const polluting: string[] = [];
  try {
    // "__proto__" is an own key after JSON.parse, but copying it into any object changes that object's prototype
    // (zod drops it silently that way): refuse it by name instead. The reviver runs only when the text may hold one.
    value = /proto/.test(text) || text.includes("\\u")
      ? JSON.parse(text, function (this: unknown, key: string, v: unknown) {
          if (key === "__proto__") polluting.push(key);
          return v;
        })
      : JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON");
  }
  if (polluting.length) throw new AppError("validation_failed", "The key __proto__ is not allowed", { fields: { ["__proto__"]: "Not allowed" } });
  return value;
}
