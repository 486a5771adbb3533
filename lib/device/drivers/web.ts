// The web driver: a phone managed through the AudioCodes-family web interface (emulator/API.md "Web interface";
// what is documented fact and what is assumption: emulator/README.md "Web interface"). It speaks the DeviceClient
// interface lib/push uses:
//   readConfig (getConfig) → download the configuration file (GET /mainform.cgi/config_file.cfg), parse `key=value` in
//     the model's key tree and map it to the catalog's canonical keys (lib/params model profile);
//   apply (patchConfig) → download the file again, refuse if it changed since the read the change was computed on
//     (the interface has no revision, so the file's hash stands in for one), overlay the change in the model's
//     spelling and upload the WHOLE file (POST /mainform.cgi/config_upload.htm, multipart `config_file`; the phone
//     applies a file atomically or not at all), then download it once more: the read-back is the proof;
//   readStatus (getStatus) → GET /voip_status.cgi (line 0's registration, no keep-alive data, no revision, no ETag);
//   info → GET /mainform.cgi/info.htm.
// Auth: whatever the phone challenges with — Digest, or Basic on older firmware (lib/device/auth challengeAuth).
// The check-then-upload leaves a short window in which a change made on the phone itself could be overwritten; the
// JSON API's If-Match closes it, this interface cannot.
import { createHash } from "node:crypto";
import { FormData } from "undici";
import type { Dispatcher } from "undici";
import { profileFor, type ModelId } from "@/lib/params/profiles";
import { challengeAuth } from "../auth";
import type { DeviceClient, DeviceConfig } from "../client";
import { DeviceError } from "../errors";
import { DEFAULT_TIMEOUT_MS, checkAddress, checkTimeout, createExchange, type HttpCall } from "../http";
import { CAPABILITIES } from "../kinds";
import { failureFor, rejectedError, type RawReply, type ReplyContext } from "../reply";
import { parseInfoPage, parseModelFile, parseVoipStatus, rejectedFields, renderModelFile, resultStatus } from "../web-pages";
import { canonicalValues, ownValues, toCanonicalFields } from "./model-wire";
import type { DeviceDriver } from "./types";

export const WEB_PATHS = {
  info: "/mainform.cgi/info.htm",
  autoProvision: "/mainform.cgi/Auto_Provision.htm",
  configDownload: "/mainform.cgi/config_file.cfg",
  configUpload: "/mainform.cgi/config_upload.htm",
  status: "/voip_status.cgi",
} as const;

/** The web driver also reaches what only this interface has: the phone's whole file and its provisioning form. */
export interface WebDriver extends DeviceDriver {
  /** The phone's configuration file parsed in its own key tree, provisioning keys included. */
  readOwnFile(): Promise<Record<string, string>>;
  /**
   * The provisioning form (Management → Automatic Update): GET info.htm first — the firmware applies the form only
   * after it (elastix AudioCodes.py) — then POST Auto_Provision.htm. Form fields not sent keep their stored value.
   * A refusal lists the form's field names.
   */
  submitAutoProvision(fields: Record<string, string>): Promise<void>;
}

export interface WebDriverOptions {
  address: string;
  username: string;
  password: string | null;
  model: ModelId | null;
  name?: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

/** The interface has no revision: a read reports 0 and the file's hash as its ETag (what patchConfig compares). */
const NO_REVISION = 0;
const etagOfFile = (text: string) => `"cfg-${createHash("sha256").update(text, "utf8").digest("hex").slice(0, 32)}"`;

interface Download {
  text: string;
  own: Record<string, string>;
  etag: string;
}

export function webDriver(options: WebDriverOptions): WebDriver {
  const address = checkAddress(options.address);
  const timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const profile = profileFor(options.model);
  const exchange = createExchange({
    address,
    auth: challengeAuth(options.username, options.password ?? ""),
    timeoutMs,
    dispatcher: options.dispatcher,
    accept: "text/html, text/plain, text/xml;q=0.9, */*;q=0.5",
  });
  const context = (call: HttpCall): ReplyContext => ({ address, operation: `${call.method} ${call.path}` });

  /** 200 or the classified failure (401 → unauthorized; other statuses → device_error naming them). */
  async function ok(call: HttpCall): Promise<{ reply: RawReply; ctx: ReplyContext }> {
    const reply = await exchange(call);
    const ctx = context(call);
    if (reply.status !== 200) throw failureFor(ctx, reply);
    return { reply, ctx };
  }

  async function download(): Promise<Download> {
    const { reply, ctx } = await ok({ method: "GET", path: WEB_PATHS.configDownload });
    return { text: reply.text, own: parseModelFile(ctx, reply.status, reply.text), etag: etagOfFile(reply.text) };
  }

  const canonical = (d: Download): DeviceConfig => ({ revision: NO_REVISION, values: canonicalValues(profile, d.own), etag: d.etag });

  const rejected = (fields: Record<string, string>) => rejectedError(address, fields, 400);

  /** Uploads a whole file; the phone applies it atomically. A 400 page lists the refused keys (or `line N`). */
  async function upload(text: string): Promise<void> {
    const body = new FormData();
    body.set("config_file", new Blob([text], { type: "text/plain" }), "config.cfg");
    const call: HttpCall = { method: "POST", path: WEB_PATHS.configUpload, body };
    const reply = await exchange(call);
    const ctx = context(call);
    if (reply.status === 400 || (reply.status === 200 && resultStatus(reply.text) === "rejected")) {
      throw rejected(toCanonicalFields(profile, rejectedFields(reply.text)));
    }
    if (reply.status !== 200) throw failureFor(ctx, reply);
    if (resultStatus(reply.text) !== "applied")
      throw new DeviceError("malformed_reply", address, `Device ${address} did not confirm the upload (${ctx.operation} answered without data-status="applied")`, { status: 200 });
  }

  const client: DeviceClient = {
    address,

    async info() {
      const { reply, ctx } = await ok({ method: "GET", path: WEB_PATHS.info });
      return parseInfoPage(ctx, reply.status, reply.text);
    },

    async getConfig() {
      return canonical(await download());
    },

    async patchConfig(values, { ifMatch }) {
      // Everything that can be refused without the phone is refused before it is touched.
      const own = ownValues(profile, values);
      if (!own.ok) throw rejected(own.fields);
      const current = await download();
      if (typeof ifMatch === "string" && ifMatch.startsWith('"cfg-') && ifMatch !== current.etag)
        throw new DeviceError("conflict", address, `The configuration on device ${address} changed in the meantime; reload it and try again`, { status: 412 });
      await upload(renderModelFile({ ...current.own, ...own.values }));
      const after = canonical(await download());
      return { revision: after.revision, values: after.values };
    },

    async getConfigCfg() {
      const d = await download();
      return { text: d.text, etag: d.etag };
    },

    async putConfigCfg(text, putOptions = {}) {
      if (putOptions.ifMatch !== undefined && putOptions.ifMatch !== (await download()).etag)
        throw new DeviceError("conflict", address, `The configuration on device ${address} changed in the meantime; reload it and try again`, { status: 412 });
      await upload(text);
      const after = canonical(await download());
      return { revision: after.revision, values: after.values };
    },

    async getStatus() {
      const { reply, ctx } = await ok({ method: "GET", path: WEB_PATHS.status });
      return { notModified: false, status: parseVoipStatus(ctx, reply.status, reply.text), etag: null };
    },
  };
  async function submitAutoProvision(fields: Record<string, string>): Promise<void> {
    await ok({ method: "GET", path: WEB_PATHS.info });
    const call: HttpCall = {
      method: "POST",
      path: WEB_PATHS.autoProvision,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    };
    const reply = await exchange(call);
    const ctx = context(call);
    if (reply.status === 400 || (reply.status === 200 && resultStatus(reply.text) === "rejected")) throw rejected(rejectedFields(reply.text));
    if (reply.status === 301 || reply.status === 302)
      throw new DeviceError("device_error", address, `Device ${address} did not apply the provisioning form (HTTP ${reply.status} to ${ctx.operation}, although info.htm was opened first)`, { status: reply.status });
    if (reply.status !== 200) throw failureFor(ctx, reply);
    if (resultStatus(reply.text) !== "applied")
      throw new DeviceError("malformed_reply", address, `Device ${address} did not confirm the provisioning form (${ctx.operation} answered without data-status="applied")`, { status: 200 });
  }

  return {
    ...client,
    kind: "web",
    capabilities: CAPABILITIES.web,
    supports: profile.supports,
    readOwnFile: async () => (await download()).own,
    submitAutoProvision,
  };
}
