"use client";
import { z } from "zod";
import { useApiQuery } from "@/components/api/query";
import { ApiError } from "@/components/ui/api-client";

/**
 * @deprecated Unparsed (cast) GET for the callers not yet moved to a parsed resource hook (components/api).
 * A thin shim over TanStack Query: `reloadKey` is ignored (invalidate the URL instead).
 */
export function useApiData<T>(url: string, _reloadKey: unknown, failure: string): { data: T | null; error: string | null } {
  const q = useApiQuery(url, z.unknown());
  return { data: (q.data as T | undefined) ?? null, error: q.error ? (q.error instanceof ApiError ? q.error.message : failure) : null };
}
