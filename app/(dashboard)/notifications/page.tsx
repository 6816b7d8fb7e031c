// The signed-in user's own notifications: which alerts, digests and statements they receive by email.
import { MyNotifications } from "@/components/alerts/my-notifications";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/page";

export default async function NotificationsPage() {
  await requirePageUser("/notifications");
  return (
    <div className="space-y-6">
      <PageHeader title="Notifications" description="What you receive by email: alerts, digests and statements, for the organization or your departments." />
      <MyNotifications />
    </div>
  );
}
