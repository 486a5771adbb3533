"use client";
// /status: the poller's health (last window, totals, errors by code), refreshed every few seconds.
import { usePollerHealth } from "@/components/api/resources";
import { errorMessage } from "@/components/ui/api-client";

function errorsText(errors: Record<string, number> | undefined): string {
  const entries = Object.entries(errors ?? {});
  return entries.length ? entries.map(([code, n]) => `${code} ${n}`).join(", ") : "none";
}

function Row({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) {
  return (
    <div className="flex justify-between gap-4 border-t border-slate-100 py-1.5">
      <dt className="text-slate-600">{label}</dt>
      <dd className="text-right font-medium tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export function PollerHealthView() {
  const query = usePollerHealth();
  const health = query.data;
  const error = query.error ? errorMessage(query.error, "Loading the poller health failed") : null;
  const w = health?.lastCycle;
  return (
    <section aria-labelledby="status-title" className="flex max-w-2xl flex-col gap-4">
      <h1 id="status-title" className="text-2xl font-semibold">
        Poller status
      </h1>
      {error && <p className="text-sm text-red-700">{error}</p>}
      {health && !health.running && <p className="text-sm text-slate-700" data-testid="poller-state">Not running{health.reason ? `: ${health.reason}` : ""}.</p>}
      {health?.running && (
        <>
          <dl className="rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm shadow-sm">
            <Row label="State" value="Running" testId="poller-state" />
            <Row label="Devices" value={health.devices} />
            <Row label="Interval" value={`${health.intervalS} s`} />
            <Row label="Concurrency" value={`${health.inFlight} / ${health.concurrency} in flight`} />
            <Row label="Held long-polls (changes arrive at once)" value={health.held ?? 0} />
            <Row label="Backing off (not answering)" value={health.backingOff} />
            <Row label="Last error of the poller itself" value={health.lastError ?? "none"} />
          </dl>
          <h2 className="text-base font-semibold">Last window{w ? ` (ended ${new Date(w.at).toLocaleTimeString("en-GB")})` : ""}</h2>
          {w ? (
            <dl className="rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm shadow-sm">
              <Row label="Duration" value={`${(w.durationMs / 1000).toFixed(1)} s`} />
              <Row label="Polls" value={`${w.polls} (${w.pollsPerS}/s)`} testId="poller-polls" />
              <Row label="Not modified (304)" value={w.notModified} />
              <Row label="Lag (how late polls ran)" value={`avg ${w.lagAvgMs} ms · max ${w.lagMaxMs} ms`} />
              <Row label="Changes written / events" value={`${w.writes} / ${w.events}`} />
              <Row label="Errors" value={errorsText(w.errors)} />
            </dl>
          ) : (
            <p className="text-sm text-slate-500">The first window closes after one interval.</p>
          )}
          {health.totals && (
            <>
              <h2 className="text-base font-semibold">Since start</h2>
              <dl className="rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm shadow-sm">
                <Row label="Polls" value={health.totals.polls} />
                <Row label="Changes written / events" value={`${health.totals.writes} / ${health.totals.events}`} />
                <Row label="Errors" value={errorsText(health.totals.errors)} />
              </dl>
            </>
          )}
        </>
      )}
    </section>
  );
}
