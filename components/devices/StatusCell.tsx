/**
 * Registration status slot. The status poller (a later issue) fills it with state + proxy badges;
 * until then every device shows "—" ("not known yet").
 */
export function StatusCell() {
  return (
    <span className="text-slate-400" title="Registration status is not polled yet">
      —
    </span>
  );
}
