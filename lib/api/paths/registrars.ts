// Part of the OpenAPI document (registered in lib/api/openapi.ts).
import { z } from "zod";
import { registrarContactSchema, registrarInputSchema, registrarSchema } from "@/lib/registrars/model";
import { E, idParam, ok, op, jsonContent, type Paths } from "../doc";

const registrarIdParam = idParam("Registrar");

export const registrarPaths: Paths = {
      "/registrars": {
        get: op({ summary: "Registrars the portal reads bindings from, each with its last read", responses: { 200: ok("Registrars", z.array(registrarSchema)), 401: E[401] } }),
        post: op({
          summary: "Add a registrar (admins); it is read at once",
          description: "kind `kamailio`: `url` is Kamailio's JSON-RPC endpoint (modules jsonrpcs + xhttp), whose `ul.dump` lists every binding.",
          requestBody: { content: jsonContent(registrarInputSchema) },
          responses: { 201: ok("Added", registrarSchema), 401: E[401], 403: E[403], 409: E[409], 422: E[422] },
        }),
      },
      "/registrars/{id}": {
        get: op({ summary: "One registrar and the bindings of its last successful read", requestParams: registrarIdParam, responses: { 200: ok("Registrar", registrarSchema.extend({ bindings: z.array(registrarContactSchema).nullable() })), 401: E[401], 404: E[404] } }),
        delete: op({ summary: "Remove a registrar (admins)", requestParams: registrarIdParam, responses: { 204: { description: "Removed" }, 401: E[401], 403: E[403], 404: E[404] } }),
      },
};
