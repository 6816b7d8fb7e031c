import type { ImportJob } from "@/lib/generated/prisma/client";
import type { ImportJobView } from "./import-schemas";

export function importView(job: ImportJob): ImportJobView {
  return {
    id: job.id,
    fileName: job.fileName,
    format: job.format as ImportJobView["format"],
    status: job.status as ImportJobView["status"],
    rows: job.rows,
    accepted: job.accepted,
    duplicates: job.duplicates,
    rejected: job.rejected,
    skipped: job.skipped,
    reversed: job.reversed,
    bytesTotal: Number(job.bytesTotal),
    bytesRead: Number(job.bytesRead),
    error: job.error,
    startedAt: job.startedAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    errorReportUrl: `/api/v1/imports/${job.id}/errors`,
  };
}
