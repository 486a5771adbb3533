// Kamailio as a registrar source: `ul.dump` over JSON-RPC (modules jsonrpcs + xhttp). The parse is pure; the
// request is one POST. Shape verified against Kamailio 5.6.3 (Debian 12):
//   {result: {Domains: [{Domain: {Domain: "location", AoRs: [{Info: {AoR, Contacts: [{Contact: {Address,
//    Expires, Received, Socket, "User-Agent", …}}]}}]}}]}}
// `Expires` is the seconds left (a number), "permanent" or "expired"/"deleted" (older versions).
import { z } from "zod";
import { parseSipUri, type RegistrarContact } from "./model";

const contactSchema = z.object({
  Address: z.string(),
  Expires: z.union([z.number(), z.string()]).optional(),
  Received: z.string().optional(),
  Socket: z.string().optional(),
  "User-Agent": z.string().optional(),
});
const dumpSchema = z.object({
  Domains: z.array(
    z.object({
      Domain: z.object({
        Domain: z.string().optional(),
        AoRs: z.array(z.object({ Info: z.object({ AoR: z.union([z.string(), z.number()]), Contacts: z.array(z.object({ Contact: contactSchema })).optional() }) })).optional(),
      }),
    }),
  ),
});

const NOT_SET = "[not set]";
const present = (v: string | undefined) => (v && v !== NOT_SET ? v : null);

/** Contacts of a `ul.dump` JSON-RPC result; throws when the shape is not Kamailio's. Expired bindings are left out. */
export function parseKamailioUlDump(result: unknown, now: Date): RegistrarContact[] {
  const dump = dumpSchema.parse(result);
  const out: RegistrarContact[] = [];
  for (const { Domain: domain } of dump.Domains) {
    for (const { Info: info } of domain.AoRs ?? []) {
      const aor = String(info.AoR);
      for (const { Contact: c } of info.Contacts ?? []) {
        let expiresAt: string | null;
        if (typeof c.Expires === "number") expiresAt = new Date(now.getTime() + c.Expires * 1000).toISOString();
        else if (c.Expires === undefined || /^perm/i.test(c.Expires)) expiresAt = null;
        else continue; // "expired" / "deleted": no binding
        const uri = parseSipUri(c.Address);
        // Behind NAT the contact holds the phone's private address; Received is where it really is.
        const received = present(c.Received);
        const where = (received && parseSipUri(received)) || uri;
        const socket = present(c.Socket);
        out.push({
          aor,
          user: aor.split("@")[0],
          contact: c.Address,
          host: where?.host ?? "",
          port: where?.port ?? null,
          expiresAt,
          userAgent: present(c["User-Agent"]),
          socket,
        });
      }
    }
  }
  return out;
}

const rpcReplySchema = z.union([
  z.object({ result: z.unknown(), error: z.undefined().optional() }),
  z.object({ error: z.object({ code: z.number().optional(), message: z.string() }) }),
]);

/** Checks a JSON-RPC reply envelope and returns its result. */
export function rpcResult(reply: unknown): unknown {
  const r = rpcReplySchema.safeParse(reply);
  if (!r.success) throw new Error("the reply is not JSON-RPC 2.0");
  if ("error" in r.data && r.data.error) throw new Error(`JSON-RPC error: ${r.data.error.message}`);
  return (r.data as { result: unknown }).result;
}
