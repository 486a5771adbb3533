// Part of the OpenAPI document (registered in lib/api/openapi.ts).
import { deviceProvisioningSchema, provisioningOverviewSchema } from "@/lib/provisioning/schemas";
import { E, idParam, ok, op, type Paths } from "../doc";

export const provisioningPaths: Paths = {
  "/devices/{id}/provisioning": {
    get: op({
      summary: "A phone's provisioning fetches and the configuration its <mac>.cfg holds now",
      requestParams: idParam("Device"),
      responses: { 200: ok("Fetches (newest first) and what is served", deviceProvisioningSchema), 401: E[401], 404: E[404] },
    }),
  },
  "/provisioning": {
    get: op({
      summary: "Provisioning settings and unknown phones (admins)",
      description: "The path and shared credentials phones are given (http://USER:PASSWORD@PORTAL/provisioning/, DHCP option 160/66), and MACs that fetched but are not in the inventory.",
      responses: { 200: ok("Settings and unknown phones", provisioningOverviewSchema), 401: E[401], 403: E[403] },
    }),
  },
};
