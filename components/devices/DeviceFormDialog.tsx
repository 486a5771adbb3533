"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, type FieldErrors } from "react-hook-form";
import { Alert } from "@/components/ui/Alert";
import { urls } from "@/components/api/resources";
import { deviceSchema } from "@/components/api/schemas";
import { ApiError, apiFetch } from "@/components/ui/api-client";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { Field } from "@/components/ui/Field";
import { SelectField } from "@/components/ui/SelectField";
import { DRIVER_OPTIONS, MODEL_OPTIONS } from "./kinds";
import {
  deviceFormSchema,
  formFieldFor,
  toRequestBody,
  type DeviceFormField,
  type DeviceFormOutput,
  type DeviceFormValues,
} from "./device-form-schema";
import type { Device } from "./types";

/** The tags field is one string in the form but an array in the schema, so its errors may sit on an element. */
function messageOf(errors: FieldErrors<DeviceFormValues>, name: DeviceFormField): string | undefined {
  const err = errors[name] as unknown;
  if (!err) return undefined;
  if (Array.isArray(err)) return (err.find(Boolean) as { message?: string } | undefined)?.message;
  return (err as { message?: string }).message;
}

/** What an "Adopt" of an unknown phone (settings page) fills in before the admin completes the rest. */
export type DevicePrefill = Partial<Pick<DeviceFormValues, "name" | "address" | "driver" | "model" | "mac">>;

function initialValues(device?: Device, prefill?: DevicePrefill): DeviceFormValues {
  return {
    name: device?.name ?? "",
    address: device?.address ?? "",
    username: device?.username ?? "",
    password: "",
    site: device?.site ?? "",
    tags: device?.tags.join(", ") ?? "",
    driver: device?.driver ?? "api",
    model: device?.model ?? "mt505",
    mac: device?.mac ?? "",
    sipAddress: device?.sipAddress ?? "",
    provisioningUsername: device?.provisioningUsername ?? "",
    provisioningPassword: "",
    ...prefill,
  };
}

export function DeviceFormDialog({
  open,
  device,
  prefill,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** Present when editing. */
  device?: Device;
  /** Initial values of a new device (adopting an unknown phone). */
  prefill?: DevicePrefill;
  onClose: () => void;
  onSaved: (device: Device, action: "added" | "updated") => void;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={device ? `Edit ${device.name}` : "Add device"}
      description={device ? undefined : "How the portal reaches the phone: its driver, address and, for phones that fetch their file, its MAC."}
    >
      {/* Keyed so each opening starts from the device's current values. */}
      {open && <DeviceForm key={device?.id ?? `new-${prefill?.mac ?? ""}`} device={device} prefill={prefill} onCancel={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

function DeviceForm({
  device,
  prefill,
  onCancel,
  onSaved,
}: {
  device?: Device;
  prefill?: DevicePrefill;
  onCancel: () => void;
  onSaved: (device: Device, action: "added" | "updated") => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<DeviceFormValues, unknown, DeviceFormOutput>({
    resolver: zodResolver(deviceFormSchema),
    defaultValues: initialValues(device, prefill),
  });
  const driver = watch("driver");

  async function onSubmit(values: DeviceFormOutput) {
    setFormError(null);
    try {
      const body = toRequestBody(values);
      const saved = device
        ? await apiFetch(urls.device(device.id), { method: "PATCH", json: body, schema: deviceSchema })
        : await apiFetch(urls.devices, { method: "POST", json: body, schema: deviceSchema });
      onSaved(saved, device ? "updated" : "added");
    } catch (e) {
      if (!(e instanceof ApiError)) {
        setFormError("Saving failed unexpectedly. Try again.");
        return;
      }
      if (e.body.code === "conflict" && !e.body.fields) {
        // 409 without fields (older servers): another device already uses this address.
        setError("address", { type: "server", message: e.body.message });
        return;
      }
      const unmapped: string[] = [];
      for (const [key, message] of Object.entries(e.body.fields ?? {})) {
        const field = formFieldFor(key);
        if (field) setError(field, { type: "server", message });
        else unmapped.push(`${key}: ${message}`);
      }
      if (!e.body.fields || unmapped.length) setFormError([e.body.message, ...unmapped].join(" — "));
    }
  }

  const passwordHint = device
    ? device.hasPassword
      ? "A password is stored. Leave blank to keep it."
      : "No password stored. Leave blank for none."
    : "Optional. Stored encrypted and never shown again.";
  const provisioningPasswordHint = device?.hasProvisioningPassword
    ? "A password is stored. Leave blank to keep it."
    : "Optional: with its own credentials this phone's file opens only with them (the shared ones open every phone's file).";

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="flex flex-col gap-3" aria-label={device ? "Edit device" : "Add device"}>
      {formError && <Alert testId="device-form-error">{formError}</Alert>}
      <Field label="Name" autoComplete="off" error={messageOf(errors, "name")} {...register("name")} />
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Driver" options={DRIVER_OPTIONS} hint="How the portal talks to the phone" error={messageOf(errors, "driver")} {...register("driver")} />
        <SelectField label="Model" options={MODEL_OPTIONS} hint="Which key tree the phone speaks" error={messageOf(errors, "model")} {...register("model")} />
      </div>
      <Field
        label="Address"
        placeholder="192.0.2.10:80"
        hint={driver === "provisioning" ? "host:port of the phone (its host is where check-sync goes unless a SIP address is given)" : "host:port of the phone's HTTP interface"}
        autoComplete="off"
        error={messageOf(errors, "address")}
        {...register("address")}
      />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          label="MAC"
          placeholder="00:1f:9c:12:34:56"
          hint={driver === "provisioning" ? "Required: the phone fetches <mac>.cfg" : "Optional; any of 00:1f:9c:12:34:56, 00-1F-9C-12-34-56, 001f9c123456"}
          autoComplete="off"
          spellCheck={false}
          error={messageOf(errors, "mac")}
          {...register("mac")}
        />
        <Field label="SIP address" placeholder="192.0.2.10:5060" hint="Optional host[:port] of its SIP user agent (check-sync); default: its registered contact, else the address's host on 5060" autoComplete="off" error={messageOf(errors, "sipAddress")} {...register("sipAddress")} />
      </div>
      {driver === "provisioning" ? (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Provisioning username" autoComplete="off" hint="Optional; blank = the shared provisioning credentials" error={messageOf(errors, "provisioningUsername")} {...register("provisioningUsername")} />
          <Field label="Provisioning password" type="password" autoComplete="new-password" hint={provisioningPasswordHint} error={messageOf(errors, "provisioningPassword")} {...register("provisioningPassword")} />
        </div>
      ) : (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="API username" autoComplete="off" error={messageOf(errors, "username")} {...register("username")} />
          <Field label="API password" type="password" autoComplete="new-password" hint={passwordHint} error={messageOf(errors, "password")} {...register("password")} />
        </div>
      )}
      <Field label="Site" autoComplete="off" error={messageOf(errors, "site")} {...register("site")} />
      <Field label="Tags" placeholder="floor-2, boardroom" hint="Separate tags with commas" autoComplete="off" error={messageOf(errors, "tags")} {...register("tags")} />
      <div className="mt-2 flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {device ? "Save changes" : "Add device"}
        </Button>
      </div>
    </form>
  );
}
