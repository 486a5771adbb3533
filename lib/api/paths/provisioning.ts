// Part of the OpenAPI document (registered in lib/api/openapi.ts).
import { deviceProvisioningSchema, pointAtProvisioningInputSchema, pointAtProvisioningResultSchema, provisioningOverviewSchema } from "@/lib/provisioning/schemas";
import { E, idParam, jsonContent, ok, op, type Paths } from "../doc";

export const provisioningPaths: Paths = {
  "/devices/{id}/provisioning": {
    get: op({
      summary: "A phone's provisioning fetches and the configuration its <mac>.cfg holds now",
      requestParams: idParam("Device"),
      responses: { 200: ok("Fetches (newest first) and what is served", deviceProvisioningSchema), 401: E[401], 404: E[404] },
    }),
  },
  "/devices/{id}/provisioning/point": {
    post: op({
      summary: "Point a web-interface phone at the provisioning server (admins)",
      description:
        "For a `web` device in sync: writes the provisioning keys through the phone's web interface (provisioning form: method static, Configuration URL http://USER:PASSWORD@PORTAL/provisioning/ with the device's own provisioning credentials, else the shared ones), reads them back from the phone's configuration file, changes the device's driver to `provisioning` (storing the MAC the phone reports), then asks the phone to fetch now and waits for that fetch (PROVISIONING_FETCH_TIMEOUT_S). Refused before the phone is changed: another driver, a config not in sync, a line SIP password the portal does not hold, a MAC that differs from the inventory's or belongs to another device.",
      requestParams: idParam("Device"),
      requestBody: { content: jsonContent(pointAtProvisioningInputSchema) },
      responses: {
        200: ok("Pointed at the portal; `fetched` says whether the phone fetched its file yet", pointAtProvisioningResultSchema),
        400: E[400],
        401: E[401],
        403: E[403],
        404: E[404],
        409: E[409],
        422: E[422],
        502: E[502],
        504: E[504],
      },
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
