export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="py-12 text-center text-sm text-slate-500">
      Loading…
    </div>
  );
}
