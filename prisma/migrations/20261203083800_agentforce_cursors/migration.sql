-- AlterTable
ALTER TABLE "connectors" ADD COLUMN     "cursors" JSONB NOT NULL DEFAULT '{}';

