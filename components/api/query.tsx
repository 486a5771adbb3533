"use client";
// Client data through TanStack Query: one QueryClient per tab, queries keyed by their URL, replies parsed by
// a zod schema. Mutations invalidate the URLs they change (no reload counters).
import { QueryClient, QueryClientProvider, useQuery, useQueryClient, type UseQueryOptions } from "@tanstack/react-query";
import { useCallback, useState, type ReactNode } from "react";
import type { z } from "zod";
import { ApiError, apiFetch, parseReply } from "@/components/ui/api-client";

function makeClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Live data arrives over SSE or the page's own refetch interval; a refocus refetch would reset forms.
        staleTime: 5_000,
        refetchOnWindowFocus: false,
        // A 4xx will not get better by asking again; a lost connection might.
        retry: (count, e) => count < 2 && (!(e instanceof ApiError) || e.status === 0 || e.status >= 500),
      },
    },
  });
}

export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(makeClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/** The query key of a GET: its URL (a list's filter is in the query string). */
export const urlKey = (url: string) => [url] as const;

type Extra<S extends z.ZodType> = Omit<UseQueryOptions<unknown, Error, z.output<S>, readonly unknown[]>, "queryKey" | "queryFn" | "select">;

// The cache holds the reply as sent (one entry per URL, whichever component reads it); each reader parses it
// with its own schema in `select` — stable per schema, so TanStack memoizes the parse.
const parsers = new WeakMap<z.ZodType, Map<string, (data: unknown) => unknown>>();
function parserFor<S extends z.ZodType>(schema: S, url: string): (data: unknown) => z.output<S> {
  let byUrl = parsers.get(schema);
  if (!byUrl) parsers.set(schema, (byUrl = new Map()));
  let p = byUrl.get(url);
  if (!p) byUrl.set(url, (p = (data) => parseReply(schema, data, url)));
  return p as (data: unknown) => z.output<S>;
}

/** GET `url`, parsed by `schema`, cached under the URL. */
export function useApiQuery<S extends z.ZodType>(url: string | null, schema: S, options: Extra<S> = {}) {
  return useQuery({
    ...options,
    queryKey: urlKey(url ?? ""),
    queryFn: ({ signal }) => apiFetch(url!, { signal }),
    select: parserFor(schema, url ?? ""),
    enabled: url !== null && (options.enabled ?? true),
  });
}

/**
 * A POST that only reads (e.g. the bulk selection's common values), cached under its URL and body.
 * `body` null: not yet known, nothing sent.
 */
export function useApiPostQuery<S extends z.ZodType>(url: string, body: unknown, schema: S, options: Extra<S> = {}) {
  return useQuery({
    ...options,
    queryKey: [url, body] as const,
    queryFn: ({ signal }) => apiFetch(url, { method: "POST", json: body, signal }),
    select: parserFor(schema, url),
    enabled: body !== null && (options.enabled ?? true),
  });
}

/**
 * Marks every query whose URL is one of `prefixes` or lies under it (`?…`, `/…`) stale, refetching the mounted
 * ones. Stable across renders (effects may depend on it).
 */
export function useInvalidate(): (...prefixes: string[]) => Promise<void> {
  const client = useQueryClient();
  return useCallback(
    async (...prefixes: string[]) => {
      await client.invalidateQueries({
        predicate: (q) => {
          const k = q.queryKey[0];
          return typeof k === "string" && prefixes.some((p) => k === p || k.startsWith(`${p}?`) || k.startsWith(`${p}/`));
        },
      });
    },
    [client],
  );
}
