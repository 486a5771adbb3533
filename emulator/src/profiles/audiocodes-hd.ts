// The 310HD key tree (public configuration dump; table in /work/shared/reference/audiocodes-hd-family.md):
// renamed keys, value spellings and what the model lacks, as data. build.ts turns it into a profile.
import type { ProfileData } from "./build";

const SIP = "voip/signalling/sip/";
const RED = `${SIP}redundant/`;

export const AUDIOCODES_HD: ProfileData = {
  name: "audiocodes-hd",
  macPrefix: "00908f",
  rename: {
    [`${RED}use_redundant_proxy`]: `${SIP}redundant_proxy/enabled`,
    [`${RED}redundant_proxy_address`]: `${SIP}redundant_proxy/address`,
    [`${RED}redundant_proxy_port`]: `${SIP}redundant_proxy/port`,
    [`${RED}redundant_proxy_ka_period`]: `${SIP}redundant_proxy/keepalive_period`,
    [`${RED}redundant_proxy_is_symmetric`]: `${SIP}redundant_proxy/symmetric_mode`,
    [`${SIP}ka_options/enabled`]: `${SIP}keepalive_options/enabled`,
    [`${SIP}ka_options/timeout`]: `${SIP}keepalive_options/timeout`,
    [`${SIP}connectMediaOn180`]: `${SIP}connect_media_on_180`,
    "voip/dial_timeout": "voip/dialing/timeout",
    "voip/phone_number_max_size": "voip/dialing/phone_number_max_size",
    "voip/dial_complete_key/enabled": "voip/dialing/dial_complete_key/enabled",
    "voip/dial_complete_key/key": "voip/dialing/dial_complete_key/key",
    "voip/dialtone_timeout": "voip/dialing/dialtone_timeout",
    "voip/warning_tone_timeout": "voip/dialing/warning_tone_timeout",
    "voip/offhook_tone_timeout": "voip/dialing/offhook_tone_timeout",
    "voip/unanswered_call_timeout": "voip/dialing/unanswered_call_timeout",
    "voip/out_of_band_dtmf": "voip/media/out_of_band_dtmf",
    "voip/dtmf_payload": "voip/media/dtmf_payload",
    "voip/media_port": "voip/media/media_port",
    "voip/media_tos": "voip/media/media_tos",
  },
  // Seen in the dump: UDP, RFC2833. The other upper-case spellings are assumptions.
  spell: {
    [`${SIP}transport_protocol`]: { udp: "UDP", tcp: "TCP", tls: "TLS" },
    "voip/out_of_band_dtmf": { inband: "INBAND", rfc2833: "RFC2833", "via SIP": "SIP_INFO" },
  },
  // The dump writes the TOS byte in decimal (184); the reference tree in hex ("0xb8").
  numeric: {
    "voip/media_tos": {
      spec: { type: "integer", min: 0, max: 255 },
      toOwn: (hex) => Number.parseInt(String(hex), 16),
      toCanonical: (n) => `0x${Number(n).toString(16).padStart(2, "0")}`,
    },
  },
  lacks: [
    "voip/signalling/protocol",
    `${SIP}tls_port`,
    `${SIP}stun/enabled`,
    `${SIP}stun/stun_server_ip`,
    `${SIP}stun/stun_server_port`,
    `${SIP}stun/stun_client_port`,
    `${SIP}stun/stun_need_mask`,
    "voip/line/0/snd_callerid",
    `${RED}is_redundant_proxy`,
  ],
  provisioningKeysOptional: false,
};
