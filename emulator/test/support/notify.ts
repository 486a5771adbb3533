// Sends an out-of-dialog NOTIFY (check-sync) to a phone with the emulator's own SIP code, answering a digest
// challenge when credentials are given: what a provisioning server does.
import { buildAuthorization, parseChallenge } from "../../src/sip/digest";
import type { SipEndpoint } from "../../src/sip/endpoint";
import { type SipRequest, header, randomToken } from "../../src/sip/message";

export interface NotifyResult {
  statuses: number[];
}

export async function sendCheckSync(
  endpoint: SipEndpoint,
  phone: { host: string; port: number; user: string },
  opts: { event?: string; username?: string; password?: string } = {},
): Promise<NotifyResult> {
  const uri = `sip:${phone.user}@${phone.host}:${phone.port}`;
  const callId = `${randomToken(8)}@${endpoint.address}`;
  const fromTag = randomToken(4);
  const statuses: number[] = [];
  let authorization: string | null = null;
  for (let cseq = 1; cseq <= 2; cseq += 1) {
    const request: SipRequest = {
      kind: "request",
      method: "NOTIFY",
      uri,
      headers: [
        ["max-forwards", "70"],
        ["from", `<sip:provisioning@${endpoint.address}>;tag=${fromTag}`],
        ["to", `<${uri}>`],
        ["call-id", callId],
        ["cseq", `${cseq} NOTIFY`],
        ["contact", `<sip:provisioning@${endpoint.address}:${endpoint.port}>`],
        ["event", opts.event ?? "check-sync;reboot=false"],
        ["subscription-state", "terminated"],
        ["content-length", "0"],
        ...(authorization ? ([["authorization", authorization]] as [string, string][]) : []),
      ],
      body: "",
    };
    const result = await endpoint.request({ host: phone.host, port: phone.port }, request, { t1: 100, t2: 400 });
    if (result.kind !== "response") throw new Error(`NOTIFY: ${result.kind}`);
    statuses.push(result.response.status);
    const challenge = result.response.status === 401 ? parseChallenge(header(result.response, "www-authenticate") ?? "") : null;
    if (!challenge || opts.username === undefined) break;
    authorization = buildAuthorization(challenge, { username: opts.username, password: opts.password ?? "", method: "NOTIFY", uri, nc: 1 });
  }
  return { statuses };
}
