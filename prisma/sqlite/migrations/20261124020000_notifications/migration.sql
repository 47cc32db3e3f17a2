-- AlterTable
ALTER TABLE "Scope" ADD COLUMN "webhookFilter" TEXT NOT NULL DEFAULT 'abnormal';
ALTER TABLE "Scope" ADD COLUMN "webhookUrl" TEXT;

-- CreateTable
CREATE TABLE "Notification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "scopeId" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME,
    "lastError" TEXT,
    CONSTRAINT "Notification_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Notification_deliveredAt_nextAttemptAt_idx" ON "Notification"("deliveredAt", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_key_scopeId_key" ON "Notification"("key", "scopeId");
