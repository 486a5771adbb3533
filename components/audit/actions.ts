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

const ACTION_LABELS: Record<string, string> = {
  login: "Signed in",
  "login.failed": "Sign-in failed",
  "login.blocked": "Sign-in blocked",
  logout: "Signed out",
  "user.create": "Added a user",
  "user.update": "Changed a user",
  "user.delete": "Deleted a user",
  "device.create": "Added a device",
  "device.update": "Changed a device",
  "device.delete": "Removed a device",
  "device.import": "Imported devices",
  "device.seed": "Added the demo devices",
  "config.update": "Saved configuration",
  "config.push": "Pushed configuration",
  "config.push_failed": "Push failed",
  "config.restore": "Restored a revision",
  "config.sync": "Read from device",
  "config.sync_failed": "Read from device failed",
  "config.adopt": "Adopted the device's changes",
  "job.push": "Bulk push job",
  "job.cancel": "Cancelled a job",
  "job.retry": "Retried a job's failures",
};

/** "Pushed configuration" for config.push; unknown actions read as written. */
export const actionLabel = (action: string) => ACTION_LABELS[action] ?? action;
