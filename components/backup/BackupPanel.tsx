"use client";
import { useId, useRef, useState } from "react";
import { useInvalidate } from "@/components/api/query";
import { urls } from "@/components/api/resources";
import { cfgPreviewSchema, savedConfigSchema, type CfgPreview as Preview } from "@/components/api/schemas";
import { DiffView } from "@/components/revisions/DiffView";
import { Alert } from "@/components/ui/Alert";
import { apiFetch, errorMessage } from "@/components/ui/api-client";
import { Button, buttonClass } from "@/components/ui/Button";
import { parseCfg } from "@/lib/config-file";

type Step = { kind: "idle" } | { kind: "checking" } | { kind: "preview"; fileName: string; text: string; preview: Preview } | { kind: "pushing"; fileName: string; text: string; preview: Preview };

/**
 * Backup: download the device's live config.cfg. Restore: pick a file → the server parses and validates it and
 * answers the diff → "Push these N changes" sends the diff through the config PATCH (the normal push).
 */
export function BackupPanel({ deviceId, canUpload }: { deviceId: string; canUpload: boolean }) {
  const base = urls.device(deviceId);
  const invalidate = useInvalidate();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function pick(file: File | undefined) {
    if (!file) return;
    setError(null);
    setNotice(null);
    setStep({ kind: "checking" });
    try {
      const text = await file.text();
      const preview = await apiFetch(`${base}/config.cfg/preview`, { method: "POST", body: text, headers: { "content-type": "text/plain; charset=utf-8" }, schema: cfgPreviewSchema });
      setStep({ kind: "preview", fileName: file.name, text, preview });
    } catch (e) {
      setError(errorMessage(e, "Reading the file failed."));
      setStep({ kind: "idle" });
    } finally {
      if (input.current) input.current.value = "";
    }
  }

  async function push() {
    if (step.kind !== "preview") return;
    setStep({ ...step, kind: "pushing" });
    // Values come from the file itself (parsed the same way as on the server): a secret's diff is masked.
    const parsed = parseCfg(step.text).values;
    const values = Object.fromEntries(Object.keys(step.preview.diff).map((k) => [k, parsed[k]]));
    try {
      await apiFetch(urls.config(deviceId), { method: "PATCH", json: { values }, schema: savedConfigSchema });
      const n = Object.keys(values).length;
      setNotice(`Pushed ${n} ${n === 1 ? "change" : "changes"} from ${step.fileName}.`);
      setStep({ kind: "idle" });
      // The push changed the config and its history: the panels showing them refetch.
      void invalidate(base);
    } catch (e) {
      setError(errorMessage(e, "The push failed unexpectedly."));
      void invalidate(base);
      setStep({ ...step, kind: "preview" });
    }
  }

  const preview = step.kind === "preview" || step.kind === "pushing" ? step.preview : null;
  const n = preview ? Object.keys(preview.diff).length : 0;
  return (
    <section aria-labelledby="backup-title" className="flex flex-col gap-2" data-testid="backup">
      <h2 id="backup-title" className="text-base font-semibold text-slate-900">
        Backup and restore
      </h2>
      <div className="flex flex-wrap items-center gap-2">
        <a href={`${base}/config.cfg`} download className={buttonClass("secondary", "sm")}>
          Download config.cfg
        </a>
        {canUpload && (
          <>
            <label htmlFor={inputId} className={buttonClass("secondary", "sm") + " cursor-pointer"}>
              Upload config.cfg
            </label>
            <input id={inputId} ref={input} type="file" accept=".cfg,text/plain" className="sr-only" onChange={(e) => pick(e.target.files?.[0])} />
          </>
        )}
        {step.kind === "checking" && <span role="status" className="text-sm text-slate-600">Checking the file…</span>}
      </div>
      <div aria-live="polite">{notice && <Alert tone="success" testId="backup-notice">{notice}</Alert>}</div>
      {error && <Alert testId="backup-error" title="Not pushed">{error}</Alert>}
      {preview && (
        <div className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid="upload-preview">
          {preview.errors?.length ? (
            <Alert testId="upload-errors" title={`The file has ${preview.errors.length} ${preview.errors.length === 1 ? "problem" : "problems"}; nothing can be pushed`}>
              <ul className="mt-1 list-disc pl-5">
                {preview.errors.map((e, i) => (
                  <li key={i}>
                    {e.line > 0 ? `Line ${e.line}` : "File"}
                    {e.key ? ` (${e.key})` : ""}: {e.message}
                  </li>
                ))}
              </ul>
            </Alert>
          ) : (
            <DiffView changes={preview.diff} caption="What the file changes" testId="upload-diff" />
          )}
          <div className="flex justify-end gap-2">
            <Button size="sm" onClick={() => setStep({ kind: "idle" })} disabled={step.kind === "pushing"}>
              Cancel
            </Button>
            {!preview.errors?.length && n > 0 && (
              <Button size="sm" variant="primary" onClick={push} disabled={step.kind === "pushing"}>
                {step.kind === "pushing" ? "Pushing…" : `Push these ${n} ${n === 1 ? "change" : "changes"}`}
              </Button>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
