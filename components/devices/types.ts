// The API's Device type, type-only: nothing of the server module reaches the browser bundle.
export type { Device } from "@/lib/inventory/devices";
import type { Device } from "@/lib/inventory/devices";

export type DeviceList = { items: Device[]; total: number };

export type Role = "admin" | "viewer";
