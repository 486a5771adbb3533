// The AudioCodes-family web interface an `--api web` phone serves instead of the JSON API (emulator/API.md,
// "Web interface"; which parts are documented fact and which are assumption: emulator/README.md).
import { getRequestListener } from "@hono/node-server";
import { Hono, type Context } from "hono";
import type http from "node:http";
import { parseCfg, toCfg } from "../config/cfg-format";
import { FIRMWARE, type Device } from "../fleet/device";
import { decodeAutoProvision, encodeAutoProvision, fieldOfKey } from "../web/auto-provision";
import { errorList, form, infoTable, page, result, voipStatusXml } from "../web/pages";
import { deviceContext, type DeviceEnv } from "./device-context";
import { SESSION_COOKIE, WebAuth } from "./web-auth";

type C = Context<DeviceEnv>;

/** The firmware applies the provisioning form only after GET info.htm (elastix); remembered this long. */
export const INFO_VISIT_MS = 10 * 60_000;
const REBOOT_AFTER_MS = 50;

export const WEB_PATHS = {
  info: "/mainform.cgi/info.htm",
  autoProvision: "/mainform.cgi/Auto_Provision.htm",
  configPage: "/mainform.cgi/manu_config.htm",
  configDownload: "/mainform.cgi/config_file.cfg",
  configUpload: "/mainform.cgi/config_upload.htm",
  reboot: "/mainform.cgi/reboot.htm",
  mainframe: "/mainform.cgi/mainframe.htm",
  status: "/voip_status.cgi",
  login: "/login.cgi",
} as const;

export function createWebApp(lookup: (localAddress: string) => Device | undefined): Hono<DeviceEnv> {
  const app = new Hono<DeviceEnv>();
  const auth = new WebAuth();
  const infoVisits = new Map<string, number>();
  const visitKey = (c: C) => `${c.get("device").ip} ${c.env.incoming.socket.remoteAddress ?? ""}`;

  app.use("*", deviceContext(lookup, () => "web", "text/html"));

  // Sign-in with a session cookie (the only route without HTTP auth).
  app.get(WEB_PATHS.login, (c) => c.html(page("Login", form(WEB_PATHS.login, { user: "", psw: "" }))));
  app.post(WEB_PATHS.login, async (c) => {
    const body = await formBody(c);
    const token = auth.login(body.user, body.psw, c.get("device").identity);
    if (!token) return c.html(page("Login", result("rejected", "Wrong user name or password")), 401);
    c.header("Set-Cookie", `${SESSION_COOKIE}=${token}; Path=/; HttpOnly`);
    return c.html(page("Login", result("applied", "Signed in")));
  });

  app.use("*", async (c, next) => {
    const device = c.get("device");
    const challenges =
      device.fault.mode === "reject-auth"
        ? [`Basic realm="IP Phone"`]
        : auth.check({ authorization: c.req.header("Authorization"), cookie: c.req.header("Cookie"), method: c.req.method }, device.identity);
    if (challenges) {
      for (const value of challenges) c.header("WWW-Authenticate", value, { append: true });
      return c.html(page("Unauthorized", "<p>Authorization required</p>"), 401);
    }
    await next();
  });

  const pages: Record<string, (c: C) => Response | Promise<Response>> = {
    "mainframe.htm": (c) => c.html(page("IP Phone", links())),
    "info.htm": (c) => {
      infoVisits.set(visitKey(c), Date.now());
      const d = c.get("device");
      const status = d.status();
      return c.html(
        page(
          "Device information",
          infoTable([
            { id: "model", label: "Model", value: "Spider MT505" },
            { id: "firmware", label: "Firmware version", value: FIRMWARE },
            { id: "serial", label: "Serial number", value: d.identity.serial },
            { id: "mac", label: "MAC address", value: d.identity.mac },
            { id: "uptime", label: "Uptime (s)", value: d.uptimeS },
            { id: "keyProfile", label: "Configuration key tree", value: d.identity.keyProfile },
            { id: "sipUser", label: "Line 1", value: d.identity.sipUser },
            { id: "sipStatus", label: "Line 1 status", value: status.state },
          ]),
        ),
      );
    },
    "Auto_Provision.htm": (c) => c.html(page("Auto provisioning", form(WEB_PATHS.autoProvision, encodeAutoProvision(c.get("device").rawValues())))),
    "manu_config.htm": (c) =>
      c.html(
        page(
          "Configuration file",
          `<a id="download" href="${WEB_PATHS.configDownload}">Download configuration file</a>\n` +
            `<form id="upload" method="post" enctype="multipart/form-data" action="${WEB_PATHS.configUpload}">` +
            `<input type="file" name="config_file"><input type="submit" value="Upload"></form>`,
        ),
      ),
    "reboot.htm": (c) => c.html(page("Reboot", form(WEB_PATHS.reboot, { REBOOT: "2" }))),
  };
  const showPage = (name: string | undefined) => (c: C) => {
    const render = name ? pages[name] : undefined;
    return render ? render(c) : c.html(page("Not found", `<p>No page ${name ?? ""}</p>`), 404);
  };
  app.get("/", (c) => c.redirect(`/mainform.cgi?go=mainframe.htm`, 302));
  app.get("/mainform.cgi", (c) => showPage(c.req.query("go"))(c));
  app.get(WEB_PATHS.configDownload, (c) => {
    const d = c.get("device");
    c.header("Content-Disposition", `attachment; filename="${d.identity.mac.replace(/:/g, "")}.cfg"`);
    return c.text(toCfg(d.publicValues()));
  });
  app.get("/mainform.cgi/:page", (c) => showPage(c.req.param("page"))(c));
  app.get(WEB_PATHS.status, (c) => {
    const d = c.get("device");
    return c.body(voipStatusXml(d.status(), d.identity.sipUser), 200, { "Content-Type": "text/xml; charset=utf-8" });
  });

  app.post(WEB_PATHS.autoProvision, async (c) => {
    const visited = infoVisits.get(visitKey(c));
    // Without the prior GET info.htm the firmware answers 301 and applies nothing (elastix AudioCodes.py).
    if (visited === undefined || Date.now() - visited > INFO_VISIT_MS) return c.redirect(WEB_PATHS.info, 301);
    const decision = decodeAutoProvision(await formBody(c));
    if (!decision.ok) return rejected(c, "Auto provisioning", decision.errors);
    const d = c.get("device");
    const outcome = await d.change(decision.change);
    if (!outcome.ok)
      return rejected(c, "Auto provisioning", outcome.kind === "invalid" ? renameKeys(outcome.errors, fieldOfKey) : { form: "stale" });
    if (decision.fetchNow) void d.syncProvisioning("web form");
    return c.html(page("Auto provisioning", result("applied", "Settings saved") + "\n" + form(WEB_PATHS.autoProvision, encodeAutoProvision(d.rawValues()))));
  });

  app.post(WEB_PATHS.configUpload, async (c) => {
    const text = await uploadedText(c);
    if (text === null) return rejected(c, "Configuration file", { config_file: "no file uploaded" });
    const d = c.get("device");
    const parsed = parseCfg(text, d.profile.byKey);
    if (Object.keys(parsed.errors).length > 0) return rejected(c, "Configuration file", parsed.errors);
    const outcome = await d.change(parsed.values, { replace: true });
    if (!outcome.ok) return rejected(c, "Configuration file", outcome.kind === "invalid" ? outcome.errors : { config_file: "stale" });
    return c.html(page("Configuration file", result("applied", "Configuration applied")));
  });

  app.post(WEB_PATHS.reboot, async (c) => {
    const body = await formBody(c);
    if (body.REBOOT !== "2") return rejected(c, "Reboot", { REBOOT: "must be 2" });
    const d = c.get("device");
    setTimeout(() => void d.reboot(d.rebootMs), REBOOT_AFTER_MS);
    return c.html(page("Reboot", result("rebooting", "The phone restarts")));
  });

  app.notFound((c) => c.html(page("Not found", `<p>No page ${c.req.path}</p>`), 404));
  app.onError((error, c) => {
    console.error(`emulator: web interface error: ${error.stack ?? String(error)}`);
    return c.html(page("Error", "<p>Internal error</p>"), 500);
  });
  return app;
}

export function webRequestListener(lookup: (localAddress: string) => Device | undefined): http.RequestListener {
  return getRequestListener(createWebApp(lookup).fetch) as unknown as http.RequestListener;
}

function links(): string {
  const items = Object.entries(WEB_PATHS).map(([name, path]) => `<li><a id="${name}" href="${path}">${name}</a></li>`);
  return `<ul id="pages">\n${items.join("\n")}\n</ul>`;
}

function rejected(c: C, title: string, errors: Record<string, string>) {
  return c.html(page(title, result("rejected", "Not applied") + "\n" + errorList(errors)), 400);
}

function renameKeys(errors: Record<string, string>, rename: (key: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [rename(k), v]));
}

/** Form fields (urlencoded or multipart) as strings; files are ignored here. */
async function formBody(c: C): Promise<Record<string, string>> {
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  return Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}

/** The uploaded file: multipart field `config_file` (file or text), or a text/plain body. */
async function uploadedText(c: C): Promise<string | null> {
  const type = c.req.header("Content-Type") ?? "";
  if (/^text\/plain\b/i.test(type)) return c.req.text();
  const body = await c.req.parseBody().catch(() => null);
  const file = body?.config_file;
  if (typeof file === "string") return file;
  if (file && typeof file === "object" && "text" in file) return (file as Blob).text();
  return null;
}
