import { handler, json, readJson, userOf } from "@/lib/api/handler";
import { createDevice, listDevices } from "@/lib/inventory/devices";
import { configReader } from "@/lib/push";
import { getPoller } from "@/lib/poller";

export const GET = handler(async (req) => {
  const sp = new URL(req.url).searchParams;
  const query = Object.fromEntries(["q", "site", "tag", "status", "configState", "driver", "model", "limit", "offset", "sort", "dir"].flatMap((k) => (sp.has(k) ? [[k, sp.get(k)!]] : [])));
  const list = await listDevices(query);
  // "Last seen": the running poller's last answer from each phone (in memory, like the status route's keep-alive).
  const poller = getPoller();
  return json({ ...list, items: list.items.map((d) => ({ ...d, lastSeenAt: poller?.lastSeen(d.id)?.toISOString() ?? null })) });
});

export const POST = handler(
  async (req, ctx) => {
    const device = await createDevice(await readJson(req), userOf(ctx).username);
    // First contact without a visit: the phone is read in the background at once, not when a page opens.
    void configReader().readSoon([device.id]);
    return json(device, 201);
  },
  { auth: "admin" },
);
