// Conditional request headers (RFC 9110 §13.1.1, §8.8.3). Pure: parsing and matching only.

/** One entity tag: `"abc"` (strong) or `W/"abc"` (weak); `opaque` keeps the quotes. */
export interface EntityTag {
  weak: boolean;
  opaque: string;
}

/** `null` = no condition (absent or `*`, the resource always exists); a list of tags; or "invalid". */
export type IfMatch = null | EntityTag[] | "invalid";

// etagc = "!" / %x23-7E / obs-text (no DQUOTE, no spaces, no controls).
const ENTITY_TAG = /^(W\/)?("[\x21\x23-\x7e\x80-\xff]*")$/;

/** Parses an If-Match field value: `*` or a comma-separated list of entity tags; anything else is malformed. */
export function parseIfMatch(header: string | undefined): IfMatch {
  if (header === undefined) return null;
  const text = header.trim();
  if (text === "*") return null;
  const parts = text.split(",").map((part) => part.trim()).filter((part) => part !== "");
  if (parts.length === 0) return "invalid";
  const tags: EntityTag[] = [];
  for (const part of parts) {
    const match = ENTITY_TAG.exec(part);
    if (!match) return "invalid";
    tags.push({ weak: match[1] !== undefined, opaque: match[2] });
  }
  return tags;
}

/** If-Match uses the strong comparison: a weak tag never matches. */
export function ifMatchHolds(condition: IfMatch, currentEtag: string): boolean {
  if (condition === null) return true;
  if (condition === "invalid") return false;
  return condition.some((tag) => !tag.weak && tag.opaque === currentEtag);
}

/** If-None-Match uses the weak comparison (`*` matches any current representation). */
export function ifNoneMatchHits(header: string, currentEtag: string): boolean {
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === currentEtag || t.trim() === "*");
}

export const revisionEtag = (revision: number): string => `"${revision}"`;
