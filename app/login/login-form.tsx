"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/Alert";
import { ApiError, apiFetch } from "@/components/ui/api-client";
import { Button } from "@/components/ui/Button";
import { Field } from "@/components/ui/Field";

export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Two-step sign-in: the server answered totp_required to the right password, so the code field is shown.
  const [needsCode, setNeedsCode] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const username = String(data.get("username") ?? "").trim();
    const password = String(data.get("password") ?? "");
    const code = String(data.get("code") ?? "").trim();
    if (!username || !password) {
      setError("Enter your username and password");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await apiFetch("/api/v1/session", { method: "POST", json: { username, password, ...(needsCode && code ? { code } : {}) } });
      router.replace(next);
      router.refresh();
    } catch (e) {
      setBusy(false);
      if (e instanceof ApiError && e.body.code === "totp_required") {
        setNeedsCode(true);
        setError(needsCode ? "Enter the 6-digit code from your authenticator app" : null);
      } else if (e instanceof ApiError && e.body.code === "validation_failed" && e.body.fields?.code) setError(e.body.fields.code);
      else if (e instanceof ApiError && e.status === 401) setError(needsCode ? "Wrong username, password or code" : "Wrong username or password");
      else if (e instanceof ApiError && e.status === 429) setError(e.message); // the server says how long to wait
      else setError(e instanceof Error ? `Sign-in failed: ${e.message}` : "Sign-in failed");
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate aria-label="Sign in">
      {error && <Alert testId="login-error">{error}</Alert>}
      <Field label="Username" name="username" autoComplete="username" autoFocus required />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      {needsCode && (
        <Field
          label="Authenticator code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          hint="Two-step sign-in is on for this account: enter the 6-digit code from your authenticator app."
          autoFocus
          required
        />
      )}
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
