// A phone without SIP (`--no-sip`): HTTP-only benchmarks and tests of the config API that need no registrar.
import type { CreateSipPhone, SipPhone } from "../sip/phone-contract";
import { idleStatus } from "./idle-status";

export const createInertPhone: CreateSipPhone = () => {
  const status = idleStatus(Date.now(), "SIP disabled (--no-sip)");
  const phone: SipPhone = {
    start: async () => {},
    stop: async () => {},
    updateConfig: () => {},
    status: () => status,
    onChange: () => () => {},
    setPartition: () => {},
    setOffline: () => {},
  };
  return phone;
};
