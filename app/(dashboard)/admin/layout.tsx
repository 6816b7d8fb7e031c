import { adminSections } from "@/components/admin/sections";
import { NavLinks } from "@/components/ui/nav-links";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser("/admin");
  const sections = adminSections.filter((s) => roleAllows(user.role, s.permission));
  return (
    // Narrow screens: the sections wrap in a row above the page, which then gets the full width.
    <div className="flex flex-col gap-4 md:flex-row md:gap-6">
      {sections.length > 0 && (
        <aside aria-label="Administration" className="md:w-44 md:shrink-0">
          <NavLinks items={sections.map(({ href, label }) => ({ href, label }))} className="flex flex-wrap gap-1 space-y-0 md:block md:space-y-1" />
        </aside>
      )}
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
