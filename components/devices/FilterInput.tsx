"use client";
import { useEffect, useId, useRef, useState } from "react";

/**
 * A search/filter box that commits its value after a short pause in typing, so the server is not asked
 * for every keystroke. It follows outside changes of `value` (back button, "Clear filters").
 */
export function FilterInput({
  label,
  value,
  onCommit,
  placeholder,
  className,
}: {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  placeholder?: string;
  className?: string;
}) {
  const id = useId();
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  if (value !== seen) {
    // Adjust state during render (React's recommended alternative to a syncing effect).
    setSeen(value);
    setText(value);
  }

  useEffect(() => () => clearTimeout(timer.current), []);

  function change(next: string) {
    setText(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => onCommit(next.trim()), 300);
  }

  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder={placeholder}
        onChange={(e) => change(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            clearTimeout(timer.current);
            onCommit(text.trim());
          }
        }}
        className="w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:outline-2 focus:outline-blue-600"
      />
    </div>
  );
}
