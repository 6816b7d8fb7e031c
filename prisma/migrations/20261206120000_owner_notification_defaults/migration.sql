-- Department owners receive the alerts and monthly statement of their departments by default. A row records an opt-out.
CREATE TABLE "notification_opt_outs" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "department_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_opt_outs_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "notification_opt_outs_user_id_kind_department_id_key" ON "notification_opt_outs"("user_id", "kind", "department_id");

ALTER TABLE "notification_opt_outs" ADD CONSTRAINT "notification_opt_outs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_opt_outs" ADD CONSTRAINT "notification_opt_outs_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
