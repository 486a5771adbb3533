// A small inline-SVG line chart of the fleet counts over time (no chart library needed for a few lines).
export interface TrendPoint {
  at: string;
  registeredPrimary: number;
  registeredRedundant: number;
  unregistered: number;
  failed: number;
  unreachable: number;
}

export const TREND_SERIES = [
  { key: "registeredPrimary", label: "Registered to primary", color: "#15803d" },
  { key: "registeredRedundant", label: "Failed over to redundant", color: "#b45309" },
  { key: "unregistered", label: "Unregistered / failed", color: "#64748b" },
  { key: "unreachable", label: "Unreachable", color: "#b91c1c" },
] as const;

const value = (p: TrendPoint, key: (typeof TREND_SERIES)[number]["key"]) => (key === "unregistered" ? p.unregistered + p.failed : p[key]);

export function TrendChart({ points, width = 640, height = 160 }: { points: TrendPoint[]; width?: number; height?: number }) {
  if (points.length < 2) return <p className="text-sm text-slate-500">The trend appears after a few poll intervals.</p>;
  const pad = 4;
  const max = Math.max(1, ...points.flatMap((p) => TREND_SERIES.map((s) => value(p, s.key))));
  const x = (i: number) => pad + (i / (points.length - 1)) * (width - 2 * pad);
  const y = (v: number) => height - pad - (v / max) * (height - 2 * pad);
  return (
    <figure className="flex flex-col gap-2">
      <svg viewBox={`0 0 ${width} ${height}`} className="h-40 w-full" role="img" aria-label={`Device counts over the last ${points.length} samples; highest ${max}`}>
        <line x1={pad} x2={width - pad} y1={y(0)} y2={y(0)} stroke="#e2e8f0" />
        {TREND_SERIES.map((s) => (
          <polyline
            key={s.key}
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            vectorEffect="non-scaling-stroke"
            points={points.map((p, i) => `${x(i).toFixed(1)},${y(value(p, s.key)).toFixed(1)}`).join(" ")}
          />
        ))}
      </svg>
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        {TREND_SERIES.map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1.5">
            <span aria-hidden className="h-2 w-3 rounded-sm" style={{ background: s.color }} />
            {s.label}
          </span>
        ))}
        <span>
          {new Date(points[0].at).toLocaleTimeString("en-GB")} – {new Date(points.at(-1)!.at).toLocaleTimeString("en-GB")}
        </span>
      </figcaption>
    </figure>
  );
}
