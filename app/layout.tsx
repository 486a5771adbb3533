import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: "SIP Admin Portal",
  description: "Configure SIP conference phones and watch their registration live",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request, so Next can put proxy.ts's CSP nonce on its scripts (a prerendered page
  // would carry none, and the CSP would block its inline scripts).
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">{children}</body>
    </html>
  );
}
