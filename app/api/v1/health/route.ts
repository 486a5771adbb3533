import { handler, json } from "@/lib/api/handler";
import { authenticateRequest } from "@/lib/auth";
import { health } from "@/lib/health";

export const dynamic = "force-dynamic";

/** Liveness for anyone; database and live processes for a signed-in user. */
export const GET = handler(
  async (req) => {
    const user = await authenticateRequest(req).catch(() => null);
    return json(await health(user !== null));
  },
  { auth: "public" },
);
