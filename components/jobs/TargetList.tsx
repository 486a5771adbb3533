"use client";
// One card per device of a job (stacks at 390 px): outcome, the changed values as people read them (raw keys on
// demand), the error, and every attempt so far — kept across "Retry failed".
import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { clockTime, relativeTime } from "@/components/status/format";
import { useNow } from "@/components/status/useNow";
import { formatValue, paramLabel, rawValue } from "@/lib/params";
import { STATE_LABEL } from "./JobProgress";
import type { JobTarget, TargetAttempt, TargetState } from "./types";

export const TARGET_TONE: Record<TargetState, BadgeTone> = { queued: "neutral", running: "blue", applied: "green", failed: "red", skipped: "amber", cancelled: "neutral" };

const ATTEMPT_WORDS: Record<TargetAttempt["outcome"], string> = {
  applied: "applied",
  skipped: "nothing to change",
  failed: "failed",
  retrying: "failed, will retry",
  retry_requested: "retry requested",
  interrupted: "interrupted by a restart",
  resumed_applied: "found applied after a restart",
};

function History({ history, now }: { history: TargetAttempt[]; now: number }) {
  const tries = history.filter((h) => h.attempt !== undefined).length;
  return (
    <details className="text-sm" data-testid="attempt-history">
      <summary className="cursor-pointer text-blue-800 focus-visible:outline-2 focus-visible:outline-blue-600">
        {tries} attempt{tries === 1 ? "" : "s"}
        {history.some((h) => h.outcome === "retry_requested") ? " (across retries)" : ""}
      </summary>
      <ol className="mt-1 flex flex-col gap-1 border-l-2 border-slate-200 pl-3">
        {history.map((h, i) => (
          <li key={i} data-outcome={h.outcome}>
            <time dateTime={h.at} title={new Date(h.at).toLocaleString()} className="tabular-nums text-slate-600">
              {clockTime(h.at)}
            </time>{" "}
            {h.attempt !== undefined && <span className="text-slate-600">· attempt {h.attempt} · </span>}
            <span className={h.outcome === "failed" || h.outcome === "retrying" ? "font-medium text-red-800" : "font-medium"}>{ATTEMPT_WORDS[h.outcome]}</span>
            {h.by && <span className="text-slate-600"> by {h.by}</span>}
            {h.code && <span className="text-slate-600"> ({h.code})</span>}
            {h.message && <span className="block break-words text-slate-700">{h.message}</span>}
            {h.outcome === "retrying" && h.nextAttemptAt && i === history.length - 1 && (
              <span className="block text-slate-600">next attempt {relativeTime(h.nextAttemptAt, now)}</span>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}

function Changes({ t, keys }: { t: JobTarget; keys: string[] }) {
  if (!t.after) return null;
  const shown = keys.filter((k) => t.after && k in t.after);
  return (
    <div className="text-sm">
      <ul className="flex flex-col gap-0.5">
        {shown.map((k) => (
          <li key={k} className="break-words">
            <span className="text-slate-700">{paramLabel(k)}:</span> {formatValue(k, t.before?.[k])} → <span className="font-medium">{formatValue(k, t.after?.[k])}</span>
          </li>
        ))}
      </ul>
      <details className="mt-0.5">
        <summary className="cursor-pointer text-xs text-slate-600 focus-visible:outline-2 focus-visible:outline-blue-600">Raw keys and values</summary>
        <ul className="font-mono text-xs break-all text-slate-700">
          {shown.map((k) => (
            <li key={k}>
              {rawValue(k, t.before?.[k])} → {JSON.stringify(t.after?.[k])}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

export function TargetList({ targets, keys }: { targets: JobTarget[]; keys: string[] }) {
  const now = useNow();
  if (!targets.length) return <p className="text-sm text-slate-600">No device in this state.</p>;
  return (
    <ul aria-label="Devices of this job" className="flex flex-col divide-y divide-slate-100 rounded-md border border-slate-200 bg-white">
      {targets.map((t) => (
        <li key={t.deviceId} data-testid="job-target" data-state={t.state} className="grid gap-x-4 gap-y-1 px-3 py-2 md:grid-cols-[minmax(10rem,1fr)_7rem_minmax(0,3fr)]">
          <div className="min-w-0">
            <Link className="break-words font-medium text-blue-800 underline-offset-2 hover:underline" href={`/devices/${t.deviceId}`}>
              {t.name}
            </Link>
          </div>
          <div>
            <Badge tone={TARGET_TONE[t.state]}>{STATE_LABEL[t.state]}</Badge>
          </div>
          <div className="flex min-w-0 flex-col gap-1">
            {t.error && (
              <p className="break-words text-sm text-red-800" data-testid="target-error">
                {t.error.message}
                {t.error.fields ? ` (${Object.entries(t.error.fields).map(([k, m]) => `${paramLabel(k)}: ${m}`).join("; ")})` : ""}
              </p>
            )}
            <Changes t={t} keys={keys} />
            {t.history.length > 0 && <History history={t.history} now={now} />}
          </div>
        </li>
      ))}
    </ul>
  );
}
