// A UDP "phone" for SIP tests, written with the emulator's own SIP parser (an implementation independent of lib/sip):
// answers each request with `answer(request, nth)` and records what it received.
import dgram from "node:dgram";
import { makeResponse, parseMessage, serializeMessage, type SipRequest } from "../../emulator/src/sip/message";

export type SipAnswer = Array<[number, string, Array<[string, string]>?]>;

/** Binds `host`:`port` (5060 unless given). */
export async function fakePhone(host: string, answer: (req: SipRequest, nth: number) => SipAnswer, port = 5060) {
  const socket = dgram.createSocket("udp4");
  const received: SipRequest[] = [];
  socket.on("message", (data, rinfo) => {
    const req = parseMessage(data) as SipRequest;
    received.push(req);
    for (const [status, reason, extra] of answer(req, received.length)) {
      socket.send(serializeMessage(makeResponse(req, status, reason, extra ?? [], "phone")), rinfo.port, rinfo.address);
    }
  });
  await new Promise<void>((resolve) => socket.bind(port, host, resolve));
  return { received, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

