// Model profiles as data: how each phone model spells the catalog's canonical keys (= the MT505 reference's keys)
// and values, and which parameters it lacks. A new model is a new entry here, not new code; the value codecs it
// may use are the closed set in codecs.ts. Sources: reference/audiocodes-hd-family.md (310HD configuration dump).

export const MODELS = ["mt505", "audiocodes-hd"] as const;
export type ModelId = (typeof MODELS)[number];
export const DEFAULT_MODEL: ModelId = "mt505";

export type CodecName = "hex-byte-as-decimal";

export interface ModelProfileData {
  readonly id: ModelId;
  /** Shown in the UI ("not supported by this model (…)"). */
  readonly label: string;
  /** canonical key → the model's own key; absent = same key. */
  readonly keys: Readonly<Record<string, string>>;
  /** canonical key → {canonical option value → the model's spelling}; absent = same spelling. */
  readonly spellings: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** canonical key → a value codec (a transformation no spelling table can express). */
  readonly codecs: Readonly<Record<string, CodecName>>;
  /** Canonical keys this model has no parameter for. */
  readonly unsupported: readonly string[];
  /** Whether the model's web interface (the phone's own pages) can be linked from the device page. */
  readonly hasWebInterface: boolean;
}

const SIP = "voip/signalling/sip/";
const RED = `${SIP}redundant/`;

export const PROFILE_DATA: Readonly<Record<ModelId, ModelProfileData>> = {
  mt505: {
    id: "mt505",
    label: "Spider MT505 (reference key tree)",
    keys: {},
    spellings: {},
    codecs: {},
    unsupported: [],
    hasWebInterface: true,
  },
  "audiocodes-hd": {
    id: "audiocodes-hd",
    label: "AudioCodes 3xxHD/4xxHD key tree",
    keys: {
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
    // Seen in the dump: UDP and RFC2833; the other upper-case spellings are assumptions (same as the emulator's).
    spellings: {
      [`${SIP}transport_protocol`]: { udp: "UDP", tcp: "TCP", tls: "TLS" },
      "voip/out_of_band_dtmf": { inband: "INBAND", rfc2833: "RFC2833", "via SIP": "SIP_INFO" },
    },
    // The dump writes the TOS byte in decimal (184 = 0xb8).
    codecs: { "voip/media_tos": "hex-byte-as-decimal" },
    // Not in the 310HD dump (treated as absent until a source shows them).
    unsupported: [
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
    hasWebInterface: true,
  },
};
