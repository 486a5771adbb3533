"use client";
import { useEffect, useState } from "react";
import { ApiError, apiFetch } from "@/components/ui/api-client";

/**
 * GET `url` whenever it or `reloadKey` changes; a superseded request is aborted so an old answer never
 * overwrites a newer one. `failure` is the message when the error is not the API's own.
 */
export function useApiData<T>(url: string, reloadKey: unknown, failure: string): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    const abort = new AbortController();
    apiFetch<T>(url, { signal: abort.signal })
      .then((data) => setState({ data, error: null }))
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setState((s) => ({ data: s.data, error: e instanceof ApiError ? e.body.message : failure }));
      });
    return () => abort.abort();
  }, [url, reloadKey, failure]);
  return state;
}
