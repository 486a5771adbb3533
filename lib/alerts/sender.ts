// The delivery worker: takes due rows from alert_deliveries, sends them (many device alerts of one kind for one
// channel at once → one summary message), and records the result: sent, or queued again with backoff, or failed
// after MAX_ATTEMPTS. The table is the queue, so messages survive a restart (a row left "sending" by a crash is
// sent again: at least once). pg-boss was not on main when this was built; see ARCHITECTURE.md "Alerts".
import "server-only";
import { logger } from "@/lib/api/logger";
import { getDb, type Db } from "@/lib/db";
import { env as readEnv } from "@/lib/env";
import { groupDue, MAX_ATTEMPTS, retryDelayMs } from "./decide";
import type { AlertPayload } from "./model";
import { sendEmail, sendWebhook, SendError } from "./senders";
import { channelsById, claimDue, markFailed, markSent, requeueInterrupted, type Claimed } from "./store";

const TICK_MS = 500;
const SUMMARY_LIST = 100;

export interface AlertSenderOptions {
  db?: () => Promise<Db>;
  summaryOver?: number;
}

/** One message standing for many deliveries of one kind. */
export function summaryPayload(group: Claimed[]): AlertPayload {
  const first = group[0].payload;
  const devices = group.flatMap((c) => (c.payload.device ? [c.payload.device] : []));
  return {
    event: first.event,
    at: new Date().toISOString(),
    state: first.state,
    incident: null,
    details: { summary: true, count: group.length, devices: devices.slice(0, SUMMARY_LIST), more: Math.max(0, devices.length - SUMMARY_LIST) },
  };
}

export class AlertSender {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private db: Db | null = null;
  private readonly summaryOver: number;

  constructor(private readonly options: AlertSenderOptions = {}) {
    this.summaryOver = options.summaryOver ?? readEnv().ALERT_SUMMARY_OVER;
  }

  async start(): Promise<void> {
    if (this.db) return;
    this.db = await (this.options.db ?? getDb)();
    await requeueInterrupted(this.db);
    this.timer = setInterval(() => void this.run(), TICK_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    this.db = null;
  }

  /** One pass over due deliveries (also awaited by tests). */
  run(): Promise<void> {
    this.running ??= this.pass()
      .catch((err) => logger.error({ err }, "alerts: delivery pass failed"))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<void> {
    const db = this.db;
    if (!db) return;
    for (;;) {
      const due = await claimDue(db, new Date());
      if (!due.length) return;
      const channels = await channelsById(db, [...new Set(due.map((d) => d.channelId))]);
      const { single, summaries } = groupDue(due, this.summaryOver);
      const jobs = [...single.map((d) => [d]), ...summaries];
      // A few at a time: one slow webhook must not hold the others back for long.
      for (let i = 0; i < jobs.length; i += 8) await Promise.all(jobs.slice(i, i + 8).map((g) => this.deliver(db, g, channels)));
    }
  }

  private async deliver(db: Db, group: Claimed[], channels: Awaited<ReturnType<typeof channelsById>>): Promise<void> {
    const ids = group.map((g) => g.id);
    const channel = channels.get(group[0].channelId);
    const payload = group.length > 1 ? summaryPayload(group) : group[0].payload;
    const env = readEnv();
    try {
      if (!channel) throw new SendError("the channel was removed", null, false);
      let status: number | null = null;
      if (channel.kind === "webhook") status = await sendWebhook(channel.target, channel.secret, payload, ids[0]);
      else await sendEmail(env.SMTP_URL, env.ALERT_EMAIL_FROM, channel.target, payload);
      await markSent(db, ids, { at: new Date(), responseStatus: status, summaryOf: group.length > 1 ? group.length : null });
    } catch (err) {
      const e = err instanceof SendError ? err : new SendError((err as Error).message);
      const attempts = Math.max(...group.map((g) => g.attempts)) + 1;
      const retry = e.retryable && attempts < MAX_ATTEMPTS;
      await markFailed(db, ids, { error: retry ? e.message : `${e.message} — gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}`, responseStatus: e.responseStatus, nextAttemptAt: retry ? new Date(Date.now() + retryDelayMs(attempts)) : null });
      logger.warn({ channel: channel?.target, event: payload.event, attempts, retry }, `alert delivery failed: ${e.message}`);
    }
  }
}

const KEY = Symbol.for("sip-admin-portal.alert-sender");
type Holder = { [KEY]?: AlertSender };
const holder = globalThis as unknown as Holder;

export async function startAlertSender(options?: AlertSenderOptions): Promise<AlertSender> {
  const s = (holder[KEY] ??= new AlertSender(options));
  await s.start();
  return s;
}

export async function stopAlertSender(): Promise<void> {
  const s = holder[KEY];
  delete holder[KEY];
  await s?.stop();
}
