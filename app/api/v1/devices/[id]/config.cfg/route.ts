import { handler } from "@/lib/api/handler";
import { renderConfigCfg } from "@/lib/revisions";

type P = { id: string };

/** Backup: the device's current config read live, as key=value lines (secrets masked), as a download. */
export const GET = handler<P>(async (_req, { params }) => {
  const { text, fileName } = await renderConfigCfg(params.id);
  return new Response(text, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
});
