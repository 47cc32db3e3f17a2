-- AlterTable
ALTER TABLE "Scope" ADD COLUMN "mailTo" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Notification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "scopeId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL DEFAULT 'webhook',
    "url" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME,
    "lastError" TEXT,
    CONSTRAINT "Notification_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Notification" ("attempts", "createdAt", "deliveredAt", "id", "key", "lastError", "nextAttemptAt", "payload", "scopeId", "url") SELECT "attempts", "createdAt", "deliveredAt", "id", "key", "lastError", "nextAttemptAt", "payload", "scopeId", "url" FROM "Notification";
DROP TABLE "Notification";
ALTER TABLE "new_Notification" RENAME TO "Notification";
CREATE INDEX "Notification_deliveredAt_nextAttemptAt_idx" ON "Notification"("deliveredAt", "nextAttemptAt");
CREATE UNIQUE INDEX "Notification_key_scopeId_channel_key" ON "Notification"("key", "scopeId", "channel");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
