import { handler, json, readJson, userOf } from "@/lib/api/handler";
import { createDevice, listDevices } from "@/lib/inventory/devices";
import { configReader } from "@/lib/push";
import { getPoller } from "@/lib/poller";
import { lastAnswerIso, staleAfterS } from "@/lib/poller/freshness";

export const GET = handler(async (req) => {
  const sp = new URL(req.url).searchParams;
  const query = Object.fromEntries(["q", "site", "tag", "status", "configState", "driver", "model", "limit", "offset", "sort", "dir"].flatMap((k) => (sp.has(k) ? [[k, sp.get(k)!]] : [])));
  const list = await listDevices(query);
  // "Last seen": the stored last answer (any polling process), or this process's poller's newer one from memory.
  const poller = getPoller();
  const items = list.items.map((d) => ({ ...d, lastSeenAt: lastAnswerIso(d.lastSeenAt, poller?.lastSeen(d.id)) }));
  return json({ ...list, items, staleAfterS: staleAfterS() });
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
