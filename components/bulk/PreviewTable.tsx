"use client";
import { Badge } from "@/components/ui/Badge";
import { paramByKey } from "@/lib/params";

export interface PreviewRow {
  deviceId: string;
  name: string;
  status: "change" | "nochange" | "invalid";
  diff: Record<string, { from: unknown; to: unknown }>;
  errors?: Record<string, string>;
  unread?: true;
}
export interface Preview {
  rows: PreviewRow[];
  counts: { change: number; nochange: number; invalid: number; total: number };
}

const label = (key: string) => paramByKey(key)?.label ?? key;
const show = (v: unknown) => (v === null || v === undefined ? "—" : String(v));
const TONE = { change: "blue", nochange: "neutral", invalid: "red" } as const;
const TEXT = { change: "will change", nochange: "no change", invalid: "invalid — excluded" } as const;

/** Per-device diff (current → new) of the changed keys only; at most `limit` rows drawn (the CSV has them all). */
export function PreviewTable({ preview, limit = 500 }: { preview: Preview; limit?: number }) {
  const { counts } = preview;
  return (
    <section aria-labelledby="preview-title" className="flex flex-col gap-2">
      <h2 id="preview-title" className="text-lg font-semibold">
        Preview
      </h2>
      <p data-testid="preview-counts" className="text-sm">
        {counts.change} will change · {counts.nochange} unchanged · {counts.invalid} invalid (excluded) · {counts.total} selected
      </p>
      <div className="max-h-96 overflow-auto rounded-md border border-slate-200">
        <table className="w-full text-sm">
          <thead className="sticky top-0 bg-slate-50 text-left">
            <tr>
              <th className="px-3 py-2">Device</th>
              <th className="px-3 py-2">Result</th>
              <th className="px-3 py-2">Changes / reasons</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.slice(0, limit).map((r) => (
              <tr key={r.deviceId} className="border-t border-slate-100 align-top">
                <td className="px-3 py-1.5 font-medium">{r.name}</td>
                <td className="px-3 py-1.5">
                  <Badge tone={TONE[r.status]}>{TEXT[r.status]}</Badge>
                  {r.unread && <p className="text-xs text-amber-700">Config never read from the device: compared with catalog defaults</p>}
                </td>
                <td className="px-3 py-1.5">
                  <ul>
                    {Object.entries(r.diff).map(([k, d]) => (
                      <li key={k}>
                        {label(k)}: <span className="font-mono">{show(d.from)}</span> → <span className="font-mono font-semibold">{show(d.to)}</span>
                      </li>
                    ))}
                    {Object.entries(r.errors ?? {}).map(([k, m]) => (
                      <li key={k} className="text-red-700">
                        {label(k)}: {m}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {preview.rows.length > limit && <p className="p-2 text-xs text-slate-500">{preview.rows.length - limit} more devices in the CSV download.</p>}
      </div>
    </section>
  );
}
