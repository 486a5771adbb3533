"use client";
import clsx from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";

/** Sections of the portal, in the order of the top bar. */
export const NAV_ITEMS: { href: string; label: string; adminOnly?: boolean }[] = [
  { href: "/dashboard", label: "Dashboard" },
  { href: "/devices", label: "Devices" },
  { href: "/status", label: "Status" },
  { href: "/proxies", label: "Proxies" },
  { href: "/jobs", label: "Jobs" },
  { href: "/audit", label: "Audit" },
  { href: "/users", label: "Users", adminOnly: true },
  { href: "/tokens", label: "API tokens", adminOnly: true },
  { href: "/settings", label: "Settings" },
];

export function NavLinks({ role }: { role: "admin" | "viewer" }) {
  const pathname = usePathname();
  return (
    <ul className="flex flex-wrap items-center gap-1">
      {NAV_ITEMS.filter((item) => !item.adminOnly || role === "admin").map((item) => {
        const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={current ? "page" : undefined}
              className={clsx(
                "block rounded-md px-2.5 py-1.5 text-sm font-medium sm:px-3 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white",
                current ? "bg-slate-700 text-white" : "text-slate-200 hover:bg-slate-800 hover:text-white",
              )}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
