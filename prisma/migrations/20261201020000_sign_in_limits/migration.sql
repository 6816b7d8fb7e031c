-- Sign-in limits (issue 14): per-(email, source) delays and 15-minute failure windows replace the per-user
-- lockout columns and the rate-limiter-flexible table. Nothing in them outlives its window, so no data moves.
-- AlterTable
ALTER TABLE "users" DROP COLUMN "failed_logins",
DROP COLUMN "locked_until";

-- DropTable
DROP TABLE "login_throttles";

-- CreateTable
CREATE TABLE "login_delays" (
    "email" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "retry_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "login_delays_pkey" PRIMARY KEY ("email","source")
);

-- CreateTable
CREATE TABLE "login_windows" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "login_windows_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "login_delays_retry_at_idx" ON "login_delays"("retry_at");

-- CreateIndex
CREATE INDEX "login_windows_ends_at_idx" ON "login_windows"("ends_at");

