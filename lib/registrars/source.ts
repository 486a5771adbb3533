// How the portal reads one registrar. A kind = one function that returns every binding the registrar holds.
// Adding a kind (Asterisk AMI `PJSIPShowContacts`, FreeSWITCH `show registrations` over event socket) means one
// more entry in SOURCES that returns RegistrarContact[]; matching, merging and the UI stay as they are.
import { request } from "undici";
import { rpcResult, parseKamailioUlDump } from "./kamailio";
import type { RegistrarContact, RegistrarKind } from "./model";

export interface RegistrarTarget {
  kind: RegistrarKind;
  url: string;
}

export type ReadContacts = (target: RegistrarTarget, options: { timeoutMs: number; now: () => Date }) => Promise<RegistrarContact[]>;

async function readKamailio(target: RegistrarTarget, { timeoutMs, now }: { timeoutMs: number; now: () => Date }): Promise<RegistrarContact[]> {
  let res;
  try {
    res = await request(target.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", method: "ul.dump", id: 1 }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error;
    throw new Error(e.name === "TimeoutError" || e.name === "AbortError" ? `no answer within ${timeoutMs} ms` : `not reachable (${e.message})`);
  }
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode} from ${target.url}`);
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    throw new Error("the reply is not JSON");
  }
  try {
    return parseKamailioUlDump(rpcResult(reply), now());
  } catch (err) {
    throw new Error(`unexpected ul.dump reply: ${(err as Error).message.split("\n")[0]}`);
  }
}

export const SOURCES: Record<RegistrarKind, ReadContacts> = { kamailio: readKamailio };
