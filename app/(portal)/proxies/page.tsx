import type { Metadata } from "next";
import { ProxyBoard } from "@/components/proxies/ProxyBoard";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Proxies · SIP Admin Portal" };

export default async function ProxiesPage() {
  await requireUser();
  return <ProxyBoard />;
}
