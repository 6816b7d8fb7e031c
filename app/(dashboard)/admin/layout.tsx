import { adminSections } from "@/components/admin/sections";
import { NavLinks } from "@/components/ui/nav-links";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser("/admin");
  const sections = adminSections.filter((s) => roleAllows(user.role, s.permission));
  return (
    <div className="flex gap-6">
      {sections.length > 0 && (
        <aside aria-label="Administration" className="w-44 shrink-0">
          <NavLinks items={sections.map(({ href, label }) => ({ href, label }))} />
        </aside>
      )}
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
