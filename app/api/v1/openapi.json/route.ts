import { handler, json } from "@/lib/api/handler";
import { openApiDocument } from "@/lib/api/openapi";

// Public on purpose: the API description holds no data, and tools fetch it before signing in.
export const GET = handler(async () => json(openApiDocument()), { auth: "public" });
