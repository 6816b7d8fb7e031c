import Link from "next/link";
import { adminSections } from "@/components/admin/sections";
import { Forbidden } from "@/components/ui/forbidden";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";

export default async function AdminIndexPage() {
  const user = await requirePageUser("/admin");
  const sections = adminSections.filter((s) => roleAllows(user.role, s.permission));
  if (sections.length === 0) return <Forbidden what="administration" />;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Administration</h1>
      <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
        {sections.map((s) => (
          <li key={s.href} className="rounded-lg border border-slate-200 bg-white p-4">
            <Link href={s.href} className="font-medium text-indigo-700 hover:underline">{s.label}</Link>
            <p className="mt-1 text-sm text-slate-600">{s.description}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
