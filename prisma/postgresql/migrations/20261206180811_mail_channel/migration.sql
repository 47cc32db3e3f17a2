-- DropIndex
DROP INDEX "Notification_key_scopeId_key";

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "channel" TEXT NOT NULL DEFAULT 'webhook';

-- AlterTable
ALTER TABLE "Scope" ADD COLUMN     "mailTo" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Notification_key_scopeId_channel_key" ON "Notification"("key", "scopeId", "channel");
