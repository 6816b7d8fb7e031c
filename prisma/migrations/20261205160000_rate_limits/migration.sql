-- Request counters shared by every app instance (rate-limiter-flexible's PostgreSQL store, lib/api/rate-limit.ts).
-- UNLOGGED: a crash may reset the counts of the current minute, which is harmless and saves a WAL write per request.
CREATE UNLOGGED TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);
