import { readText } from "@/lib/api/body";
import { handler, json } from "@/lib/api/handler";
import { previewConfigCfg } from "@/lib/revisions";

type P = { id: string };

/** Upload step 1: parse + validate a config.cfg (text/plain body) → {diff, errors?}. Stores and pushes nothing. */
export const POST = handler<P>(async (req, { params }) => json(await previewConfigCfg(params.id, await readText(req))), {
  body: "import",
});
