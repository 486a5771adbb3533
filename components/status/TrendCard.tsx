"use client";
// The dashboard's trend card: a range selector (1 h, 24 h, 7 d) over the stored samples (GET /status/trend),
// refetched once per sample interval.
import { keepPreviousData } from "@tanstack/react-query";
import { useState } from "react";
import { useApiQuery } from "@/components/api/query";
import { TREND_RANGES, trendReplySchema, type TrendRange } from "@/lib/trend/schemas";
import { TrendChart } from "./TrendChart";

const RANGE_LABELS: Record<TrendRange, string> = { "1h": "1 h", "24h": "24 h", "7d": "7 d" };

export function TrendCard() {
  const [range, setRange] = useState<TrendRange>("1h");
  const trend = useApiQuery(`/api/v1/status/trend?range=${range}`, trendReplySchema, {
    refetchInterval: (q) => ((q.state.data as { sampleIntervalS?: number } | undefined)?.sampleIntervalS ?? 60) * 1000,
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby="trend-title" className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="trend-title" className="text-sm font-semibold text-slate-900">
          Trend
        </h2>
        <div role="group" aria-label="Range" className="inline-flex overflow-hidden rounded-md border border-slate-300 text-sm">
          {TREND_RANGES.map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={r === range}
              onClick={() => setRange(r)}
              className={`px-3 py-1 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-600 ${r === range ? "bg-slate-800 text-white" : "bg-white text-slate-800 hover:bg-slate-100"}`}
            >
              {RANGE_LABELS[r]}
            </button>
          ))}
        </div>
      </div>
      {trend.error && <p className="text-sm text-red-700">Could not load the trend: {trend.error.message}</p>}
      {trend.data ? <TrendChart trend={trend.data} /> : !trend.error && <p className="h-[220px] text-sm text-slate-600">Loading the trend…</p>}
    </section>
  );
}
