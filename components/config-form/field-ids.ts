// DOM ids for config fields: catalog keys contain "/", which is legal in an id but awkward in selectors.
export function fieldId(key: string): string {
  return `cfg-${key.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

export function sectionAnchor(sectionId: string): string {
  return `section-${sectionId}`;
}
