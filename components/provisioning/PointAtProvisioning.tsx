"use client";
// "Point at the provisioning server" on a web-interface phone's page (admins): a confirmation that says what will
// happen — the portal writes the phone's automatic-update settings through its web interface, reads them back,
// makes the device a provisioning phone, and the phone then takes its whole configuration from the portal — with the
// portal's address as the phone reaches it (prefilled with this page's origin, which phones may not reach).
import { useEffect, useState } from "react";
import { useInvalidate } from "@/components/api/query";
import { urls } from "@/components/api/resources";
import { pointAtProvisioningResultSchema } from "@/components/api/schemas";
import { Alert } from "@/components/ui/Alert";
import { ApiError, apiFetch } from "@/components/ui/api-client";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { Field } from "@/components/ui/Field";

/** `offer`: the device is a web phone (the button); after the switch only the outcome stays. */
export function PointAtProvisioning({ deviceId, deviceName, offer }: { deviceId: string; deviceName: string; offer: boolean }) {
  const invalidate = useInvalidate();
  const [open, setOpen] = useState(false);
  const [portalUrl, setPortalUrl] = useState("");
  const [urlError, setUrlError] = useState<string | undefined>();
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => setPortalUrl((u) => u || window.location.origin), []);

  async function point() {
    setUrlError(undefined);
    try {
      const r = await apiFetch(urls.pointAtProvisioning(deviceId), { method: "POST", json: { portalUrl }, schema: pointAtProvisioningResultSchema });
      setDone(r.message);
      setOpen(false);
    } catch (e) {
      const field = e instanceof ApiError ? e.body.fields?.portalUrl : undefined;
      if (field) {
        setUrlError(field);
        throw new Error(field);
      }
      throw e;
    } finally {
      // Whatever happened on the phone, what the portal shows of the device is read again.
      await invalidate(urls.device(deviceId), urls.deviceProvisioning(deviceId), urls.config(deviceId));
    }
  }

  return (
    <div className="flex flex-col gap-2">
      {done && (
        <Alert tone="success" testId="point-result">
          {done}
        </Alert>
      )}
      {offer && (
        <Button className="self-start" onClick={() => setOpen(true)}>
          Point at provisioning server…
        </Button>
      )}
      <ConfirmDialog
        open={open && offer}
        title={`Switch ${deviceName} to provisioning?`}
        confirmLabel="Point at provisioning server"
        variant="primary"
        failure="The phone was not switched"
        errorTestId="point-error"
        onClose={() => setOpen(false)}
        onConfirm={point}
      >
        <div className="flex flex-col gap-3">
          <p>The portal will:</p>
          <ol className="list-decimal pl-5">
            <li>
              write the phone&apos;s automatic-update settings through its web interface: method <strong>Static</strong> and the
              Configuration URL <span className="font-mono">…/provisioning/</span> with the provisioning credentials inside;
            </li>
            <li>read them back from the phone&apos;s configuration file;</li>
            <li>
              change this device&apos;s driver to <strong>Provisioning</strong> and ask the phone to fetch its file now.
            </li>
          </ol>
          <p>
            From then on the phone takes its <strong>whole configuration</strong> from the portal (its <span className="font-mono">&lt;mac&gt;.cfg</span>),
            and the portal can no longer read it back: a change is proven by the phone fetching it (&ldquo;delivered&rdquo;).
          </p>
          <Field
            label="Portal address as the phone reaches it"
            hint="Scheme, host and port only, e.g. http://192.0.2.10:3000 — this page's address may not be reachable from the phones' network."
            value={portalUrl}
            error={urlError}
            onChange={(e) => setPortalUrl(e.target.value)}
            inputMode="url"
            autoComplete="off"
          />
        </div>
      </ConfirmDialog>
    </div>
  );
}
