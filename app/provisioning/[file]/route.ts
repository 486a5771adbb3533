// Phones fetch their configuration here (outside /api: its own auth, see lib/provisioning/server.ts).
import { serveProvisioningFile } from "@/lib/provisioning/server";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ file: string }> }): Promise<Response> {
  return serveProvisioningFile(req, (await ctx.params).file);
}
