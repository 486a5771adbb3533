import { handler, json, readJson, userOf } from "@/lib/api/handler";
import { createDevice, listDevices } from "@/lib/inventory/devices";

export const GET = handler(async (req) => {
  const sp = new URL(req.url).searchParams;
  const query = Object.fromEntries(["q", "site", "tag", "status", "driver", "model", "limit", "offset"].flatMap((k) => (sp.has(k) ? [[k, sp.get(k)!]] : [])));
  return json(await listDevices(query));
});

export const POST = handler(async (req, ctx) => json(await createDevice(await readJson(req), userOf(ctx).username), 201), { auth: "admin" });
