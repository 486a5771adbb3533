// Filter choices for the audit page: an exact action, or a family (the API matches "config" as config.*).
export const ACTION_FILTERS: { value: string; label: string }[] = [
  { value: "", label: "All actions" },
  { value: "login", label: "Sign-ins (login, login.failed, login.blocked)" },
  { value: "logout", label: "Sign-outs (logout)" },
  { value: "user", label: "Users (user.*)" },
  { value: "device", label: "Inventory (device.*)" },
  { value: "device.create", label: "device.create" },
  { value: "device.update", label: "device.update" },
  { value: "device.delete", label: "device.delete" },
  { value: "device.import", label: "device.import" },
  { value: "config", label: "Configuration (config.*)" },
  { value: "config.update", label: "config.update" },
  { value: "config.push", label: "config.push" },
  { value: "config.push_failed", label: "config.push_failed" },
  { value: "config.restore", label: "config.restore" },
  { value: "config.sync", label: "config.sync" },
  { value: "config.adopt", label: "config.adopt" },
  { value: "job", label: "Bulk jobs (job.*)" },
];

/** A result word for the table: failures stand out. */
export function resultOf(action: string, details: Record<string, unknown> | null): "failed" | "ok" {
  if (action.endsWith("failed") || details?.result === "failed") return "failed";
  return "ok";
}
