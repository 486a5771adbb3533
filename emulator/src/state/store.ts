// Per-device persistence: one JSON file per device in the state dir, written via temp file + rename so a
// crash mid-write never leaves a torn file.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ConfigValues } from "../sip/phone-contract";

export interface DeviceState {
  revision: number;
  values: ConfigValues;
  /** Key tree the values are in (absent in files written before profiles existed: mt505). */
  keyProfile?: string;
}

export class StateStore {
  constructor(private readonly dir: string) {}

  private file(ip: string): string {
    return path.join(this.dir, `device-${ip}.json`);
  }

  async load(ip: string): Promise<DeviceState | null> {
    let text: string;
    try {
      text = await readFile(this.file(ip), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    const parsed = JSON.parse(text) as DeviceState;
    if (typeof parsed.revision !== "number" || typeof parsed.values !== "object" || parsed.values === null)
      throw new Error(`state file ${this.file(ip)} is not a device state ({revision, values})`);
    return parsed;
  }

  async save(ip: string, state: DeviceState): Promise<void> {
    // State files hold the phones' SIP passwords: readable by the emulator's user only.
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const target = this.file(ip);
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, JSON.stringify(state, null, 1), { mode: 0o600 });
    await rename(temp, target);
  }
}
