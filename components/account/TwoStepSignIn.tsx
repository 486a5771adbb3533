"use client";
// /account: the signed-in user's two-step sign-in (TOTP, lib/auth/totp.ts). Set-up is two steps on the server
// (a pending secret, then the app's first code turns it on), so a mistyped or unscanned secret never locks anyone
// out; the secret is shown this once (QR code + text). Turning it off needs a current code, like the API.
import { useState, type FormEvent } from "react";
import { useApiQuery, useInvalidate } from "@/components/api/query";
import { Alert } from "@/components/ui/Alert";
import { ApiError, apiFetch } from "@/components/ui/api-client";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Field } from "@/components/ui/Field";
import { totpSetupSchema, totpStatusSchema, type TotpSetup } from "@/lib/auth/schemas";
import { QrCode } from "./QrCode";

const STATUS = "/api/v1/account/totp";

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP": easier to type into an app by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, "$1 ");

/** One code field + submit; the server's message for `code` lands on the field, anything else above it. */
function CodeForm({ submit, variant, busyLabel, onSubmit, onCancel }: { submit: string; variant: "primary" | "danger"; busyLabel: string; onSubmit: (code: string) => Promise<void>; onCancel?: () => void }) {
  const [code, setCode] = useState("");
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(e: FormEvent) {
    e.preventDefault();
    setFieldError(undefined);
    setError(null);
    const trimmed = code.trim();
    if (!/^\d{6}$/.test(trimmed)) return setFieldError("Enter the 6-digit code");
    setBusy(true);
    try {
      await onSubmit(trimmed);
      setCode("");
    } catch (err) {
      if (err instanceof ApiError && err.body.fields?.code) setFieldError(err.body.fields.code);
      else setError(err instanceof Error ? err.message : "That did not work. Try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={send} noValidate className="flex flex-col gap-3">
      {error && <Alert testId="totp-error">{error}</Alert>}
      <Field
        label="Authenticator code"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        error={fieldError}
        hint="The 6-digit code your authenticator app shows now"
        className="max-w-xs"
      />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant={variant} disabled={busy}>
          {busy ? busyLabel : submit}
        </Button>
        {onCancel && (
          <Button onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}

export function TwoStepSignIn({ username }: { username: string }) {
  const status = useApiQuery(STATUS, totpStatusSchema);
  const invalidate = useInvalidate();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function start() {
    setStarting(true);
    setStartError(null);
    setNotice(null);
    try {
      setSetup(await apiFetch(STATUS, { method: "POST", schema: totpSetupSchema }));
      await invalidate(STATUS);
    } catch (e) {
      setStartError(e instanceof Error ? e.message : "Could not start the set-up");
    } finally {
      setStarting(false);
    }
  }

  async function confirm(code: string) {
    await apiFetch(`${STATUS}/confirm`, { method: "POST", json: { code }, schema: totpStatusSchema });
    setSetup(null);
    setNotice("Two-step sign-in is on. From now on, signing in asks for a code from your app.");
    await invalidate(STATUS);
  }

  async function disable(code: string) {
    await apiFetch(`${STATUS}/disable`, { method: "POST", json: { code }, schema: totpStatusSchema });
    setNotice("Two-step sign-in is off. Your password alone signs you in.");
    await invalidate(STATUS);
  }

  const on = status.data?.enabled ?? false;
  return (
    <section aria-labelledby="account-title" className="flex max-w-2xl flex-col gap-4">
      <h1 id="account-title" className="text-xl font-semibold">
        Account
      </h1>
      <p className="text-sm text-slate-700">
        Signed in as <span className="font-medium">{username}</span>.
      </p>
      <div aria-labelledby="totp-title" role="region" className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white px-4 py-4 shadow-sm">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="totp-title" className="text-base font-semibold">
            Two-step sign-in
          </h2>
          {status.data && (
            <span data-testid="totp-state">
              <Badge tone={on ? "green" : "neutral"}>{on ? "On" : "Off"}</Badge>
            </span>
          )}
        </div>
        {notice && (
          <Alert tone="success" testId="totp-notice">
            {notice}
          </Alert>
        )}
        {status.error && <Alert>Could not load your two-step sign-in: {status.error.message}</Alert>}
        {!status.data && !status.error && (
          <p role="status" className="text-sm text-slate-600">
            Loading…
          </p>
        )}

        {status.data && on && (
          <>
            <p className="text-sm text-slate-700">Signing in asks for a 6-digit code from your authenticator app after your password. To turn it off, enter a current code.</p>
            <CodeForm submit="Turn off two-step sign-in" busyLabel="Turning off…" variant="danger" onSubmit={disable} />
          </>
        )}

        {status.data && !on && !setup && (
          <>
            <p className="text-sm text-slate-700">
              With two-step sign-in, signing in needs your password and a 6-digit code from an authenticator app on your phone (any TOTP app: Google Authenticator, Microsoft
              Authenticator, FreeOTP, 1Password …), so a stolen password alone is not enough.
            </p>
            {status.data.pending && <p className="text-sm text-slate-600">A set-up was started but not finished; starting again replaces it.</p>}
            {startError && <Alert>{startError}</Alert>}
            <div>
              <Button variant="primary" onClick={start} disabled={starting}>
                {starting ? "Starting…" : "Set up two-step sign-in"}
              </Button>
            </div>
          </>
        )}

        {status.data && !on && setup && (
          <>
            <ol className="flex list-decimal flex-col gap-3 pl-5 text-sm text-slate-700">
              <li>
                Scan this QR code with your authenticator app:
                <div className="mt-2">
                  <QrCode value={setup.uri} label="QR code with your two-step sign-in key" />
                </div>
              </li>
              <li>
                Or type this key into the app (time-based, 6 digits):
                <code className="mt-1 block w-fit break-all rounded bg-slate-100 px-2 py-1 font-mono text-base tracking-wide text-slate-900" data-testid="totp-secret">
                  {grouped(setup.secret)}
                </code>
                <span className="mt-1 block text-xs text-slate-500">It is shown only now. Keep it secret: anyone with it can make your codes.</span>
              </li>
              <li>Enter the code the app shows to turn two-step sign-in on.</li>
            </ol>
            <CodeForm submit="Turn on" busyLabel="Checking…" variant="primary" onSubmit={confirm} onCancel={() => setSetup(null)} />
          </>
        )}
      </div>
    </section>
  );
}
