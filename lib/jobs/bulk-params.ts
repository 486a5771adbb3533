// Which catalog parameters a bulk edit may change: the proxy-related sections (issue 7). Pure data derived from
// the catalog, so the bulk form (browser) and the jobs API (server) agree on the same list.
import { EDITABLE_PARAMS, SECTIONS, type ParamDef, type SectionId } from "@/lib/params";

export const BULK_SECTION_IDS: readonly SectionId[] = ["proxy", "registrar", "outbound_proxy", "redundant_proxy", "keep_alive", "timers"];

export const BULK_SECTIONS = SECTIONS.filter((s) => BULK_SECTION_IDS.includes(s.id));

/** Editable, non-secret parameters of the bulk sections (secrets are per device, never bulk-set). */
export const BULK_PARAMS: readonly ParamDef[] = EDITABLE_PARAMS.filter((p) => BULK_SECTION_IDS.includes(p.section) && !p.secret);

const BULK_KEYS = new Set(BULK_PARAMS.map((p) => p.key));
export const isBulkKey = (key: string): boolean => BULK_KEYS.has(key);
