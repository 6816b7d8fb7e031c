import Link from "next/link";
import { adminSections } from "@/components/admin/sections";
import { Forbidden } from "@/components/ui/forbidden";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { PageHeader } from "@/components/ui/page-header";
import { cardClass } from "@/components/ui/card";

export default async function AdminIndexPage() {
  const user = await requirePageUser("/admin");
  const sections = adminSections.filter((s) => roleAllows(user.role, s.permission));
  if (sections.length === 0) return <Forbidden what="administration" />;
  return (
    <div className="space-y-4">
      <PageHeader title="Administration" />
      <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
        {sections.map((s) => (
          <li key={s.href} className={cardClass}>
            <Link href={s.href} className="font-medium text-accent-foreground hover:underline">{s.label}</Link>
            <p className="mt-1 text-sm text-muted-foreground">{s.description}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
