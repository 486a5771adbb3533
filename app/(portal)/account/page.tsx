import type { Metadata } from "next";
import { TwoStepSignIn } from "@/components/account/TwoStepSignIn";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Account · SIP Admin Portal" };

/** /account: the signed-in user's own settings (two-step sign-in), through /api/v1/account. */
export default async function AccountPage() {
  const user = await requireUser();
  return <TwoStepSignIn username={user.username} />;
}
