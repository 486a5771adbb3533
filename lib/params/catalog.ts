// The one description of every Phoenix Audio Spider MT505 SIP parameter the portal knows.
// Hand-written on purpose: reference/mt505-sip-parameters.json is the test oracle (catalog.test.ts), not an input,
// so a change to the reference shows up as a failing test instead of silently changing forms and validation.
// Pure data: imported by the browser and the server.

export type ParamType = "boolean" | "integer" | "port" | "string" | "password" | "ip_or_host" | "enum";

export type SectionId =
  | "proxy"
  | "registrar"
  | "outbound_proxy"
  | "redundant_proxy"
  | "account"
  | "transport"
  | "timers"
  | "keep_alive"
  | "nat_stun"
  | "sip_features"
  | "dialing"
  | "tones"
  | "dtmf"
  | "media"
  | "misc";

export type ParamValue = string | number;

export interface ParamOption {
  readonly value: ParamValue;
  readonly label: string;
}

export interface ParamDef {
  /** The device's own config key. */
  readonly key: string;
  /** Accessible name of the form field; identical to the reference `label`. */
  readonly label: string;
  readonly section: SectionId;
  readonly type: ParamType;
  readonly min?: number;
  readonly max?: number;
  readonly maxLength?: number;
  readonly default: ParamValue;
  readonly options?: readonly ParamOption[];
  readonly unit?: "s" | "ms";
  /** The parameter matters only while another parameter has this value; otherwise it is not validated or sent. */
  readonly appliesWhen?: { readonly key: string; readonly equals: ParamValue };
  /** Status written by the firmware: shown, never edited, never sent. */
  readonly readOnly?: boolean;
  /** Write-only: never returned to a browser. */
  readonly secret?: boolean;
  /** Extra syntax rule beyond the type (e.g. a hex byte). */
  readonly pattern?: { readonly regex: RegExp; readonly message: string };
  readonly help: string;
}

export interface SectionDef {
  readonly id: SectionId;
  readonly title: string;
}

/** Display order, following the device admin guide's grouping. */
export const SECTIONS = [
  { id: "proxy", title: "SIP proxy" },
  { id: "registrar", title: "Registrar" },
  { id: "outbound_proxy", title: "Outbound proxy" },
  { id: "redundant_proxy", title: "Redundant proxy" },
  { id: "account", title: "Account (line 1)" },
  { id: "transport", title: "Transport" },
  { id: "timers", title: "SIP timers" },
  { id: "keep_alive", title: "Keep-alive" },
  { id: "nat_stun", title: "NAT / STUN" },
  { id: "sip_features", title: "SIP features" },
  { id: "dialing", title: "Dialing" },
  { id: "tones", title: "Tones" },
  { id: "dtmf", title: "DTMF" },
  { id: "media", title: "Media" },
  { id: "misc", title: "Miscellaneous" },
] as const satisfies readonly SectionDef[];

const SIP = "voip/signalling/sip";
const REDUNDANT = `${SIP}/redundant`;
const ON = 1;

/** Every parameter, grouped by section; within a section the switch comes before what it enables. */
export const CATALOG = [
  // ── SIP proxy ───────────────────────────────────────────────────────────────────────────────────────
  {
    key: `${SIP}/use_proxy`,
    label: "Use SIP proxy",
    section: "proxy",
    type: "boolean",
    default: 0,
    help: "Send SIP requests through the primary proxy configured below.",
  },
  {
    key: `${SIP}/proxy_address`,
    label: "Proxy address",
    section: "proxy",
    type: "ip_or_host",
    maxLength: 63,
    default: "",
    appliesWhen: { key: `${SIP}/use_proxy`, equals: ON },
    help: "IPv4 address or host name of the primary SIP proxy (usually the PBX).",
  },
  {
    key: `${SIP}/proxy_port`,
    label: "Proxy port",
    section: "proxy",
    type: "port",
    min: 1024,
    max: 65535,
    default: 5060,
    appliesWhen: { key: `${SIP}/use_proxy`, equals: ON },
    help: "Port the primary proxy listens on for SIP.",
  },
  {
    key: `${SIP}/proxy_gateway`,
    label: "SIP domain (proxy gateway)",
    section: "proxy",
    type: "string",
    maxLength: 64,
    default: "",
    help: "Domain part of the phone's SIP address; leave empty to use the proxy address.",
  },
  // ── Registrar ───────────────────────────────────────────────────────────────────────────────────────
  {
    key: `${SIP}/proxy_timeout`,
    label: "Registration expiry",
    section: "registrar",
    type: "integer",
    min: 10,
    max: 86400,
    default: 3600,
    unit: "s",
    help: "How long a registration lasts before the phone renews it.",
  },
  {
    key: `${SIP}/auth_retries`,
    label: "Max authentication retries",
    section: "registrar",
    type: "integer",
    min: 0,
    max: 10,
    default: 4,
    help: "How many times a challenged REGISTER is retried with credentials before giving up.",
  },
  {
    key: `${SIP}/use_proxy_ip_port_for_registrar`,
    label: "Register via proxy address",
    section: "registrar",
    type: "boolean",
    default: 1,
    help: "Send REGISTER to the proxy's address and port, so no separate registrar is needed.",
  },
  {
    key: `${SIP}/sip_registrar/enabled`,
    label: "Use separate registrar",
    section: "registrar",
    type: "boolean",
    default: 0,
    help: "Register with a server other than the proxy.",
  },
  {
    key: `${SIP}/sip_registrar/addr`,
    label: "Registrar address",
    section: "registrar",
    type: "ip_or_host",
    maxLength: 63,
    default: "",
    appliesWhen: { key: `${SIP}/sip_registrar/enabled`, equals: ON },
    help: "IPv4 address or host name of the separate registrar.",
  },
  {
    key: `${SIP}/sip_registrar/port`,
    label: "Registrar port",
    section: "registrar",
    type: "port",
    min: 1024,
    max: 65535,
    default: 5060,
    appliesWhen: { key: `${SIP}/sip_registrar/enabled`, equals: ON },
    help: "SIP port of the separate registrar.",
  },
  // ── Outbound proxy ──────────────────────────────────────────────────────────────────────────────────
  {
    key: `${SIP}/sip_outbound_proxy/enabled`,
    label: "Use outbound proxy",
    section: "outbound_proxy",
    type: "boolean",
    default: 0,
    help: "Route every outgoing SIP request through an outbound proxy (e.g. a session border controller).",
  },
  {
    key: `${SIP}/sip_outbound_proxy/addr`,
    label: "Outbound proxy address",
    section: "outbound_proxy",
    type: "ip_or_host",
    maxLength: 63,
    default: "",
    appliesWhen: { key: `${SIP}/sip_outbound_proxy/enabled`, equals: ON },
    help: "IPv4 address or host name of the outbound proxy.",
  },
  {
    key: `${SIP}/sip_outbound_proxy/port`,
    label: "Outbound proxy port",
    section: "outbound_proxy",
    type: "port",
    min: 1024,
    max: 65535,
    default: 5060,
    appliesWhen: { key: `${SIP}/sip_outbound_proxy/enabled`, equals: ON },
    help: "SIP port of the outbound proxy.",
  },
  // ── Redundant proxy ─────────────────────────────────────────────────────────────────────────────────
  {
    key: `${REDUNDANT}/use_redundant_proxy`,
    label: "Use redundant proxy",
    section: "redundant_proxy",
    type: "boolean",
    default: 0,
    help: "Fail over to a backup proxy when the primary stops answering. Needs a registrar to be in use.",
  },
  {
    key: `${REDUNDANT}/redundant_proxy_address`,
    label: "Redundant proxy address",
    section: "redundant_proxy",
    type: "ip_or_host",
    maxLength: 63,
    default: "0.0.0.0",
    appliesWhen: { key: `${REDUNDANT}/use_redundant_proxy`, equals: ON },
    help: "IPv4 address or host name of the backup proxy; 0.0.0.0 means none is set.",
  },
  {
    key: `${REDUNDANT}/redundant_proxy_port`,
    label: "Redundant proxy port",
    section: "redundant_proxy",
    type: "port",
    min: 1024,
    max: 65535,
    default: 5060,
    appliesWhen: { key: `${REDUNDANT}/use_redundant_proxy`, equals: ON },
    help: "SIP port of the backup proxy.",
  },
  {
    key: `${REDUNDANT}/redundant_proxy_ka_period`,
    label: "Redundant proxy keep-alive period",
    section: "redundant_proxy",
    type: "integer",
    min: 0,
    max: 300,
    default: 60,
    unit: "s",
    appliesWhen: { key: `${REDUNDANT}/use_redundant_proxy`, equals: ON },
    help: "Interval between the OPTIONS probes that tell whether a proxy is still answering.",
  },
  {
    key: `${REDUNDANT}/redundant_proxy_is_symmetric`,
    label: "Switch back to primary proxy when available",
    section: "redundant_proxy",
    type: "enum",
    default: 0,
    options: [
      { value: 0, label: "Asymmetric (prefer primary, switch back when it answers)" },
      { value: 1, label: "Symmetric (equal priority, stay on the current proxy)" },
    ],
    appliesWhen: { key: `${REDUNDANT}/use_redundant_proxy`, equals: ON },
    help: "Asymmetric returns to the primary as soon as it answers again; symmetric stays where it is until that proxy fails.",
  },
  // ── Account (line 1) ────────────────────────────────────────────────────────────────────────────────
  {
    key: "voip/line/0/enabled",
    label: "Line enabled",
    section: "account",
    type: "boolean",
    default: 1,
    help: "Turn the phone's SIP line on or off.",
  },
  {
    key: "voip/line/0/id",
    label: "SIP user ID / extension",
    section: "account",
    type: "string",
    maxLength: 19,
    default: "0000000001",
    help: "User part of the SIP address the line registers, usually the extension number.",
  },
  {
    key: "voip/line/0/description",
    label: "Display name",
    section: "account",
    type: "string",
    maxLength: 254,
    default: "Line 1",
    help: "Name shown to the people this phone calls.",
  },
  {
    key: "voip/line/0/auth_name",
    label: "Authentication user name",
    section: "account",
    type: "string",
    maxLength: 127,
    default: "",
    help: "User name for digest authentication; empty means the SIP user ID is used.",
  },
  {
    key: "voip/line/0/auth_password",
    label: "Authentication password",
    section: "account",
    type: "password",
    maxLength: 127,
    default: "",
    secret: true,
    help: "Password for digest authentication. Write-only: the portal never shows the stored value.",
  },
  {
    key: "voip/line/0/snd_callerid",
    label: "Send caller ID",
    section: "account",
    type: "boolean",
    default: 1,
    help: "Include this line's identity in outgoing calls.",
  },
  // ── Transport ───────────────────────────────────────────────────────────────────────────────────────
  {
    key: "voip/signalling/protocol",
    label: "Signalling protocol",
    section: "transport",
    type: "enum",
    default: "sip",
    options: [
      { value: "sip", label: "SIP" },
      { value: "h.323", label: "H.323" },
      { value: "mgcp", label: "MGCP" },
    ],
    help: "Call-control protocol. Every SIP setting here is ignored by the phone unless this is SIP.",
  },
  {
    key: `${SIP}/transport_protocol`,
    label: "SIP transport",
    section: "transport",
    type: "enum",
    default: "udp",
    options: [
      { value: "udp", label: "UDP" },
      { value: "tcp", label: "TCP" },
      { value: "tls", label: "TLS" },
    ],
    help: "Transport for SIP messages. TLS works only on firmware built with TLS support.",
  },
  {
    key: `${SIP}/port`,
    label: "Local SIP port",
    section: "transport",
    type: "port",
    min: 1024,
    max: 65535,
    default: 5060,
    help: "Port on the phone that receives SIP over UDP or TCP.",
  },
  {
    key: `${SIP}/tls_port`,
    label: "Local SIP TLS port",
    section: "transport",
    type: "port",
    min: 1024,
    max: 65535,
    default: 5061,
    appliesWhen: { key: `${SIP}/transport_protocol`, equals: "tls" },
    help: "Port on the phone that receives SIP over TLS.",
  },
  // ── SIP timers ──────────────────────────────────────────────────────────────────────────────────────
  {
    key: `${SIP}/sip_t1`,
    label: "SIP timer T1",
    section: "timers",
    type: "integer",
    min: 100,
    max: 60000,
    default: 500,
    unit: "ms",
    help: "Round-trip estimate; the first retransmission waits this long and later ones double it.",
  },
  {
    key: `${SIP}/sip_t2`,
    label: "SIP timer T2",
    section: "timers",
    type: "integer",
    min: 4000,
    max: 60000,
    default: 4000,
    unit: "ms",
    help: "Upper limit for the gap between retransmissions of a request.",
  },
  {
    key: `${SIP}/sip_t4`,
    label: "SIP timer T4",
    section: "timers",
    type: "integer",
    min: 5000,
    max: 60000,
    default: 5000,
    unit: "ms",
    help: "How long a message is assumed to survive in the network.",
  },
  {
    key: `${SIP}/sip_invite_timer`,
    label: "INVITE timer",
    section: "timers",
    type: "integer",
    min: 0,
    max: 65535,
    default: 32000,
    unit: "ms",
    help: "How long an unanswered INVITE transaction is kept before it times out.",
  },
  // ── Keep-alive ──────────────────────────────────────────────────────────────────────────────────────
  {
    key: `${SIP}/ka_options/enabled`,
    label: "Send OPTIONS keep-alive",
    section: "keep_alive",
    type: "boolean",
    default: 0,
    help: "Periodically send SIP OPTIONS to keep NAT bindings open and check the server.",
  },
  {
    key: `${SIP}/ka_options/timeout`,
    label: "Keep-alive interval",
    section: "keep_alive",
    type: "integer",
    min: 1,
    max: 3600,
    default: 300,
    unit: "s",
    appliesWhen: { key: `${SIP}/ka_options/enabled`, equals: ON },
    help: "Time between two OPTIONS keep-alives.",
  },
  // ── NAT / STUN ──────────────────────────────────────────────────────────────────────────────────────
  {
    key: `${SIP}/rport/enabled`,
    label: "Use rport (RFC 3581)",
    section: "nat_stun",
    type: "boolean",
    default: 1,
    help: "Ask servers to reply to the address and port the request really came from, which helps behind NAT.",
  },
  {
    key: `${SIP}/stun/enabled`,
    label: "Use STUN",
    section: "nat_stun",
    type: "boolean",
    default: 0,
    help: "Discover the public address with a STUN server.",
  },
  {
    key: `${SIP}/stun/stun_server_ip`,
    label: "STUN server address",
    section: "nat_stun",
    type: "ip_or_host",
    maxLength: 63,
    default: "",
    appliesWhen: { key: `${SIP}/stun/enabled`, equals: ON },
    help: "STUN server; an IPv4 address is the safest choice.",
  },
  {
    key: `${SIP}/stun/stun_server_port`,
    label: "STUN server port",
    section: "nat_stun",
    type: "port",
    min: 1,
    max: 65535,
    default: 3478,
    appliesWhen: { key: `${SIP}/stun/enabled`, equals: ON },
    help: "Port of the STUN server (3478 is standard).",
  },
  {
    key: `${SIP}/stun/stun_client_port`,
    label: "STUN client response port",
    section: "nat_stun",
    type: "port",
    min: 0,
    max: 65535,
    default: 0,
    appliesWhen: { key: `${SIP}/stun/enabled`, equals: ON },
    help: "Local port for STUN answers; 0 leaves the choice to the phone.",
  },
  {
    key: `${SIP}/stun/stun_need_mask`,
    label: "STUN network mask",
    section: "nat_stun",
    type: "string",
    maxLength: 63,
    default: "",
    appliesWhen: { key: `${SIP}/stun/enabled`, equals: ON },
    help: "Advanced: a network mask stored as text; leave empty unless told otherwise.",
  },
  // ── SIP features ────────────────────────────────────────────────────────────────────────────────────
  {
    key: `${SIP}/prack/enabled`,
    label: "Reliable provisional responses (PRACK)",
    section: "sip_features",
    type: "boolean",
    default: 1,
    help: "Acknowledge provisional responses such as 183 so they are not lost.",
  },
  {
    key: `${SIP}/connectMediaOn180`,
    label: "Open media on 180 Ringing",
    section: "sip_features",
    type: "boolean",
    default: 0,
    help: "Start the audio path already when the far end reports ringing.",
  },
  // ── Dialing ─────────────────────────────────────────────────────────────────────────────────────────
  {
    key: `${SIP}/digit_map`,
    label: "Digit map",
    section: "dialing",
    type: "string",
    maxLength: 256,
    default: "",
    help: "Patterns that tell when a dialed number is complete, separated by | or ;. The phone may keep only the first 151 characters.",
  },
  {
    key: `${SIP}/number_rules`,
    label: "Dial plan",
    section: "dialing",
    type: "string",
    maxLength: 256,
    default: "",
    help: "Rewrite rules of the form pattern=destination, separated by ;. The phone may keep only the first 151 characters.",
  },
  {
    key: "voip/dial_timeout",
    label: "Inter-digit dialing timeout",
    section: "dialing",
    type: "integer",
    min: 1,
    max: 60,
    default: 5,
    unit: "s",
    help: "Pause after the last digit after which the number is dialed.",
  },
  {
    key: "voip/phone_number_max_size",
    label: "Max dialed number length",
    section: "dialing",
    type: "integer",
    min: 1,
    max: 64,
    default: 15,
    help: "Dialing starts as soon as this many digits have been entered.",
  },
  {
    key: "voip/dial_complete_key/enabled",
    label: "Use dial-complete key",
    section: "dialing",
    type: "boolean",
    default: 1,
    help: "Let a key press end the number and dial immediately.",
  },
  {
    key: "voip/dial_complete_key/key",
    label: "Dial-complete key",
    section: "dialing",
    type: "enum",
    default: "#",
    options: [
      { value: "#", label: "#" },
      { value: "*", label: "*" },
    ],
    appliesWhen: { key: "voip/dial_complete_key/enabled", equals: ON },
    help: "The key that ends the number.",
  },
  // ── Tones ───────────────────────────────────────────────────────────────────────────────────────────
  {
    key: "voip/dialtone_timeout",
    label: "Dial tone timeout",
    section: "tones",
    type: "integer",
    min: 0,
    max: 300,
    default: 30,
    unit: "s",
    help: "How long the dial tone plays with nothing dialed before the reorder tone starts.",
  },
  {
    key: "voip/warning_tone_timeout",
    label: "Reorder tone timeout",
    section: "tones",
    type: "integer",
    min: 0,
    max: 300,
    default: 40,
    unit: "s",
    help: "How long the reorder (fast busy) tone plays before the howler tone starts.",
  },
  {
    key: "voip/offhook_tone_timeout",
    label: "Howler tone timeout",
    section: "tones",
    type: "integer",
    min: 0,
    max: 300,
    default: 120,
    unit: "s",
    help: "How long the loud off-hook warning plays.",
  },
  {
    key: "voip/unanswered_call_timeout",
    label: "No-answer timeout (outgoing)",
    section: "tones",
    type: "integer",
    min: 0,
    max: 300,
    default: 40,
    unit: "s",
    help: "An outgoing call that nobody answers is dropped after this time.",
  },
  // ── DTMF ────────────────────────────────────────────────────────────────────────────────────────────
  {
    key: "voip/out_of_band_dtmf",
    label: "DTMF transport",
    section: "dtmf",
    type: "enum",
    default: "rfc2833",
    options: [
      { value: "inband", label: "In-band (audio)" },
      { value: "rfc2833", label: "RFC 2833" },
      { value: "via SIP", label: "SIP INFO" },
    ],
    help: "How key presses reach the far end: as tones in the audio, as RTP events, or as SIP INFO messages.",
  },
  {
    key: "voip/dtmf_payload",
    label: "RFC 2833 payload type",
    section: "dtmf",
    type: "integer",
    min: 96,
    max: 127,
    default: 101,
    appliesWhen: { key: "voip/out_of_band_dtmf", equals: "rfc2833" },
    help: "Dynamic RTP payload number used for DTMF events; must match the far end.",
  },
  // ── Media ───────────────────────────────────────────────────────────────────────────────────────────
  {
    key: "voip/media_port",
    label: "RTP start port",
    section: "media",
    type: "port",
    min: 1024,
    max: 65532,
    default: 4000,
    help: "First of four consecutive local ports used for audio.",
  },
  {
    key: "voip/media_tos",
    label: "RTP TOS/DSCP byte (hex)",
    section: "media",
    type: "string",
    maxLength: 4,
    default: "0xb8",
    pattern: { regex: /^(0x)?[0-9a-fA-F]{1,2}$/, message: "Must be a hex byte, e.g. 0xb8" },
    help: "QoS marking for audio packets as a hex byte; 0xb8 is DSCP EF (expedited forwarding).",
  },
  {
    key: `${SIP}/sdp_include_ptime`,
    label: "Include ptime in SDP",
    section: "media",
    type: "boolean",
    default: 1,
    help: "Announce the audio packet duration in call offers.",
  },
  // ── Miscellaneous ───────────────────────────────────────────────────────────────────────────────────
  {
    key: `${REDUNDANT}/is_redundant_proxy`,
    label: "Registered to redundant proxy (status)",
    section: "misc",
    type: "boolean",
    default: 0,
    readOnly: true,
    help: "Set by the phone itself while it is registered to the backup proxy. Shown for information only.",
  },
] as const satisfies readonly ParamDef[];

export type ParamKey = (typeof CATALOG)[number]["key"];

const BY_KEY: ReadonlyMap<string, ParamDef> = new Map(CATALOG.map((p) => [p.key, p]));

export function paramByKey(key: string): ParamDef | undefined {
  return BY_KEY.get(key);
}

export function sectionParams(sectionId: SectionId): ParamDef[] {
  return CATALOG.filter((p) => p.section === sectionId);
}
