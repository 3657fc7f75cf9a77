import { Waves } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-6 px-4 py-12">
      <Link href="/" className="flex items-center gap-2 text-lg font-semibold">
        <Waves className="size-6 text-sky-600" aria-hidden />
        Tidepool
      </Link>
      {children}
    </main>
  );
}
