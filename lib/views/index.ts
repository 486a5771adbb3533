// Saved device-list views per user (table saved_views): create, list (by name), delete. A user sees and deletes
// only their own; names are unique per user.
import "server-only";
import { and, asc, count, eq } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { savedViews } from "@/lib/db/schema";
import { AppError, notFound, parseWith } from "@/lib/errors";
import { isUniqueViolation, isUuid } from "@/lib/inventory/devices";
import type { User } from "@/lib/auth/types";
import { savedViewInputSchema, viewBodySchema, VIEWS_PER_USER_MAX, type SavedView } from "./schemas";

export * from "./schemas";

type Row = typeof savedViews.$inferSelect;
/** A read token may change nothing (issue 13), its owner's saved views included; checked before the body is parsed. */
function mayChange(user: User): void {
  if (user.token?.scope === "read") throw new AppError("forbidden", "A read-only API token cannot change saved views");
}

const toView = (r: Row): SavedView => ({ id: r.id, name: r.name, createdAt: r.createdAt.toISOString(), ...viewBodySchema.parse(r.view) });

export async function listViews(user: User): Promise<SavedView[]> {
  const rows = await (await getDb()).select().from(savedViews).where(eq(savedViews.userId, user.id)).orderBy(asc(savedViews.name));
  return rows.map(toView);
}

export async function createView(input: unknown, user: User): Promise<SavedView> {
  mayChange(user);
  const { name, ...view } = parseWith(savedViewInputSchema, input);
  const db = await getDb();
  const [{ n }] = await db.select({ n: count() }).from(savedViews).where(eq(savedViews.userId, user.id));
  if (n >= VIEWS_PER_USER_MAX) throw new AppError("conflict", `You have ${VIEWS_PER_USER_MAX} saved views already; delete one first`);
  try {
    const [row] = await db.insert(savedViews).values({ userId: user.id, name, view }).returning();
    return toView(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", `You already have a view named "${name}"`, { fields: { name: "You already have a view with this name" } });
    throw err;
  }
}

export async function deleteView(id: string, user: User): Promise<void> {
  mayChange(user);
  if (!isUuid(id)) throw notFound("Saved view");
  const deleted = await (await getDb())
    .delete(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.userId, user.id)))
    .returning({ id: savedViews.id });
  if (!deleted.length) throw notFound("Saved view");
}
