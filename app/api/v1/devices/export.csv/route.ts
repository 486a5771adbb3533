import { handler } from "@/lib/api/handler";
import { exportDevicesCsv } from "@/lib/inventory/csv";

export const GET = handler(async () => {
  const day = new Date().toISOString().slice(0, 10);
  return new Response(await exportDevicesCsv(), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="devices-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
});
