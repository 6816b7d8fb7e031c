-- AlterTable
ALTER TABLE "webhooks" ADD COLUMN     "type" TEXT NOT NULL DEFAULT 'webhook',
ALTER COLUMN "secret_encrypted" DROP NOT NULL;

