import type { Metadata } from "next";
import { requireUser } from "@/lib/auth";
import { QueryProvider } from "@/components/api/query";
import { TopBar } from "@/components/nav/TopBar";

export const metadata: Metadata = { title: "SIP Admin Portal", icons: { icon: "/favicon.svg" } };

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  // Pages check the session again themselves: a layout is not re-rendered on every client navigation.
  const user = await requireUser();
  return (
    // Client data of every portal page goes through one TanStack Query client (components/api).
    <QueryProvider>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:text-blue-800 focus:shadow"
      >
        Skip to content
      </a>
      <TopBar user={{ username: user.username, role: user.role }} />
      <main id="main" className="mx-auto w-full max-w-7xl px-4 py-6 sm:px-6">
        {children}
      </main>
    </QueryProvider>
  );
}
