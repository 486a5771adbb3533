"use client";
import { useId } from "react";
import { Button } from "@/components/ui/Button";
import { PAGE_SIZES } from "./query";

export function Pagination({
  page,
  size,
  total,
  onPage,
  onSize,
}: {
  page: number;
  size: number;
  total: number;
  onPage: (page: number) => void;
  onSize: (size: number) => void;
}) {
  const sizeId = useId();
  const lastPage = Math.max(1, Math.ceil(total / size));
  const first = total === 0 ? 0 : (page - 1) * size + 1;
  const last = Math.min(total, page * size);
  const fmt = (n: number) => n.toLocaleString("en-US");
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
      <p data-testid="page-range">
        Showing {fmt(first)}–{fmt(last)} of {fmt(total)}
      </p>
      <div className="flex items-center gap-2">
        <label htmlFor={sizeId} className="text-xs text-slate-600">
          Per page
        </label>
        <select
          id={sizeId}
          value={size}
          onChange={(e) => onSize(Number(e.target.value))}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:outline-2 focus:outline-blue-600"
        >
          {PAGE_SIZES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <Button size="sm" onClick={() => onPage(page - 1)} disabled={page <= 1}>
          Previous
        </Button>
        <span className="tabular-nums">
          Page {fmt(page)} of {fmt(lastPage)}
        </span>
        <Button size="sm" onClick={() => onPage(page + 1)} disabled={page >= lastPage}>
          Next
        </Button>
      </div>
    </nav>
  );
}
