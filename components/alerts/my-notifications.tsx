"use client";
// The Notifications page: the user's own email subscriptions.
import { Badge } from "@/components/ui/badge";
import type { MySubscriptionsView } from "@/lib/alerts/schemas";
import { SubscriptionsEditor } from "./subscriptions-editor";

export function MyNotifications() {
  return (
    <SubscriptionsEditor<MySubscriptionsView>
      url="/api/v1/account/notifications"
      queryKey={["my-notifications"]}
      title="My email notifications"
      header={(v) => (
        <p className="text-sm text-muted-foreground">
          Sent to <span className="font-medium text-foreground">{v.email}</span>{" "}
          {!v.active && <Badge tone="warning">unsubscribed by link — saving subscribes you again</Badge>}
          {v.owned.length > 0 && (
            <span className="block">
              As the owner of {v.owned.join(", ")} you receive their budget, forecast and anomaly alerts and monthly statement unless you untick them.
            </span>
          )}
        </p>
      )}
    />
  );
}
