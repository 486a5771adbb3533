"use client";
import { sectionAnchor } from "./field-ids";

export interface SectionSummary {
  id: string;
  title: string;
  changed: number;
  errors: number;
}

/** Jump links to the sections, with counts of changed and invalid fields so nothing hides off-screen. */
export function SectionNav({ sections }: { sections: SectionSummary[] }) {
  return (
    <nav aria-label="Configuration sections" className="hidden w-48 shrink-0 md:block">
      <ul className="sticky top-4 flex flex-col gap-0.5 text-sm">
        {sections.map((s) => (
          <li key={s.id}>
            <a
              href={`#${sectionAnchor(s.id)}`}
              className="flex items-center justify-between gap-2 rounded px-2 py-1 text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600"
            >
              <span className="truncate">{s.title}</span>
              <span className="flex gap-1 text-xs">
                {s.errors > 0 && (
                  <span className="rounded bg-red-100 px-1 font-medium text-red-800">
                    {s.errors}
                    <span className="sr-only"> invalid</span>
                  </span>
                )}
                {s.changed > 0 && (
                  <span className="rounded bg-amber-100 px-1 font-medium text-amber-800">
                    {s.changed}
                    <span className="sr-only"> changed</span>
                  </span>
                )}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
