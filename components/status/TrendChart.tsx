"use client";
// The fleet's stored counts over the chosen range as an inline-SVG line chart: a time axis spanning the whole range
// (where no sample was stored the line breaks — the portal was not running — it is never drawn as zero), a count
// axis, the card's full width (measured, so text stays its size), and a text summary for screen readers.
import { useEffect, useId, useRef, useState } from "react";
import type { TrendPoint, TrendRange, TrendReply } from "@/lib/trend/schemas";

export const TREND_SERIES = [
  { key: "registeredPrimary", label: "Registered to primary", color: "#15803d", dash: undefined },
  { key: "registeredRedundant", label: "Failed over to redundant", color: "#b45309", dash: "6 3" },
  { key: "unregistered", label: "Unregistered / failed", color: "#475569", dash: "2 3" },
  { key: "unreachable", label: "Unreachable", color: "#b91c1c", dash: "8 3 2 3" },
] as const;
type SeriesKey = (typeof TREND_SERIES)[number]["key"];

const value = (p: TrendPoint, key: SeriesKey) => (key === "unregistered" ? p.unregistered + p.failed : p[key]);

export const RANGE_WORDS: Record<TrendRange, string> = { "1h": "the last hour", "24h": "the last 24 hours", "7d": "the last 7 days" };

const HEIGHT = 220;
const M = { left: 40, right: 12, top: 22, bottom: 38 };
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** 1, 2 or 5 × 10^k: a count step giving about `ticks` ticks up to `max`. */
function niceStep(max: number, ticks: number): number {
  const raw = Math.max(max / ticks, 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/** Tick times on local-clock boundaries (every 10 min, 3 h, a day …; fewer on a narrow card). */
function timeTicks(range: TrendRange, from: number, to: number, narrow: boolean): number[] {
  const ticks: number[] = [];
  if (range === "7d") {
    const step = narrow ? 2 : 1;
    const d = new Date(from);
    d.setHours(0, 0, 0, 0);
    for (d.setDate(d.getDate() + 1); d.getTime() <= to; d.setDate(d.getDate() + step)) ticks.push(d.getTime());
    return ticks;
  }
  const step = range === "1h" ? (narrow ? 20 : 10) * MIN : (narrow ? 6 : 3) * HOUR;
  const offset = -new Date(from).getTimezoneOffset() * MIN; // local boundaries, not UTC's
  for (let t = Math.ceil((from + offset) / step) * step - offset; t <= to; t += step) ticks.push(t);
  return ticks;
}

const timeLabel = (range: TrendRange, t: number) =>
  range === "7d"
    ? new Date(t).toLocaleDateString("en-GB", { weekday: "short", day: "numeric" })
    : new Date(t).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });

/** Consecutive points closer than two buckets form one line; a longer gap starts a new one. */
function segments(points: TrendPoint[], bucketMs: number): TrendPoint[][] {
  const out: TrendPoint[][] = [];
  let prev: number | null = null;
  for (const p of points) {
    const t = Date.parse(p.at);
    if (prev === null || t - prev > 2 * bucketMs) out.push([]);
    out.at(-1)!.push(p);
    prev = t;
  }
  return out;
}

const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString("en-US") : n.toLocaleString("en-US", { maximumFractionDigits: 1 }));

/** What the chart shows, in words (its accessible description and the caption under it). */
export function trendSummary(trend: TrendReply): string {
  const resolution = trend.bucketS >= 3_600 ? `${trend.bucketS / 3_600} h` : `${Math.round(trend.bucketS / 60)} min`;
  const head = `Devices by registration state over ${RANGE_WORDS[trend.range]}, one point per ${resolution} (the mean of the samples stored in it).`;
  if (!trend.points.length) return `${head} No samples are stored for this range yet.`;
  const last = trend.points.at(-1)!;
  const parts = TREND_SERIES.map((s) => {
    const values = trend.points.map((p) => value(p, s.key));
    return `${s.label}: ${fmt(value(last, s.key))} now, highest ${fmt(Math.max(...values))}`;
  });
  return `${head} ${parts.join("; ")}.`;
}

export function TrendChart({ trend }: { trend: TrendReply }) {
  const frame = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);
  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setWidth(Math.max(240, Math.floor(e.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const from = Date.parse(trend.from);
  const to = Date.parse(trend.to);
  const narrow = width < 520;
  const max = Math.max(1, ...trend.points.flatMap((p) => TREND_SERIES.map((s) => value(p, s.key))));
  const step = niceStep(max, 4);
  const top = Math.ceil(max / step) * step;
  const plotW = width - M.left - M.right;
  const plotH = HEIGHT - M.top - M.bottom;
  const x = (t: number) => M.left + ((t - from) / (to - from)) * plotW;
  const y = (v: number) => M.top + plotH - (v / top) * plotH;
  // A point stands for its bucket: drawn at the bucket's middle.
  const px = (p: TrendPoint) => x(Math.min(to, Date.parse(p.at) + (trend.bucketS * 1000) / 2));
  const yTicks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const xTicks = timeTicks(trend.range, from, to, narrow);
  const lines = segments(trend.points, trend.bucketS * 1000);
  const summary = trendSummary(trend);
  const summaryId = useId();

  return (
    <figure className="flex flex-col gap-2" data-testid="trend-chart" data-range={trend.range}>
      <div ref={frame} className="w-full">
        <svg width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} className="block max-w-full" role="img" aria-label={`Trend over ${RANGE_WORDS[trend.range]}`} aria-describedby={summaryId}>
          <g data-testid="trend-y-axis" className="text-[11px]" fill="#475569">
            {yTicks.map((v) => (
              <g key={v}>
                <line x1={M.left} x2={width - M.right} y1={y(v)} y2={y(v)} stroke={v === 0 ? "#94a3b8" : "#e2e8f0"} />
                <text x={M.left - 6} y={y(v)} textAnchor="end" dominantBaseline="middle" data-tick>
                  {fmt(v)}
                </text>
              </g>
            ))}
            <text x={4} y={8} dominantBaseline="middle" fontWeight={600} data-testid="trend-y-title">
              Devices
            </text>
          </g>
          <g data-testid="trend-x-axis" className="text-[11px]" fill="#475569">
            {xTicks.map((t) => (
              <g key={t}>
                <line x1={x(t)} x2={x(t)} y1={M.top + plotH} y2={M.top + plotH + 4} stroke="#94a3b8" />
                <text x={x(t)} y={M.top + plotH + 16} textAnchor="middle" data-tick>
                  {timeLabel(trend.range, t)}
                </text>
              </g>
            ))}
            <text x={M.left + plotW / 2} y={HEIGHT - 4} textAnchor="middle" fontWeight={600} data-testid="trend-x-title">
              {trend.range === "7d" ? "Day (local time)" : "Local time"}
            </text>
          </g>
          {TREND_SERIES.map((s) =>
            lines.map((seg, i) =>
              seg.length === 1 ? (
                <circle key={`${s.key}-${i}`} cx={px(seg[0])} cy={y(value(seg[0], s.key))} r={2.5} fill={s.color} data-series={s.key} />
              ) : (
                <polyline
                  key={`${s.key}-${i}`}
                  fill="none"
                  stroke={s.color}
                  strokeWidth={2}
                  strokeDasharray={s.dash}
                  strokeLinejoin="round"
                  data-series={s.key}
                  points={seg.map((p) => `${px(p).toFixed(1)},${y(value(p, s.key)).toFixed(1)}`).join(" ")}
                />
              ),
            ),
          )}
          {!trend.points.length && (
            <text x={M.left + plotW / 2} y={M.top + plotH / 2} textAnchor="middle" className="text-xs" fill="#475569">
              No samples stored for this range yet
            </text>
          )}
        </svg>
      </div>
      <figcaption className="flex flex-col gap-1 text-xs text-slate-600">
        <span className="flex flex-wrap gap-x-4 gap-y-1" aria-hidden>
          {TREND_SERIES.map((s) => (
            <span key={s.key} className="inline-flex items-center gap-1.5">
              <svg width="20" height="6" aria-hidden>
                <line x1="0" x2="20" y1="3" y2="3" stroke={s.color} strokeWidth="2" strokeDasharray={s.dash} />
              </svg>
              {s.label}
            </span>
          ))}
        </span>
        <span className="sr-only" id={summaryId} data-testid="trend-summary">
          {summary}
        </span>
      </figcaption>
    </figure>
  );
}
