"use client";
import { useEffect } from "react";
import { Button } from "@/components/ui/Button";

export default function PortalError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error && "digest" in error ? String((error as { digest?: string }).digest ?? "") : "";
  return (
    <section aria-labelledby="error-title" className="mx-auto max-w-lg rounded-lg border border-red-200 bg-white p-6 shadow-sm">
      <h1 id="error-title" className="text-lg font-semibold text-red-800">
        Something went wrong
      </h1>
      <p className="mt-2 text-sm text-slate-700">
        The page could not be loaded. Try again; if it keeps failing, check the server log
        {digest ? (
          <>
            {" "}for error <code className="rounded bg-slate-100 px-1">{digest}</code>
          </>
        ) : null}
        .
      </p>
      <Button className="mt-4" variant="primary" onClick={() => retry()}>
        Try again
      </Button>
    </section>
  );
}
