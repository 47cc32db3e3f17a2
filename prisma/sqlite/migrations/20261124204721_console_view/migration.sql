-- AlterTable
ALTER TABLE "Run" ADD COLUMN "ackAt" DATETIME;
ALTER TABLE "Run" ADD COLUMN "ackBy" TEXT;
ALTER TABLE "Run" ADD COLUMN "ackComment" TEXT;

-- AlterTable
ALTER TABLE "Unit" ADD COLUMN "ackAt" DATETIME;
ALTER TABLE "Unit" ADD COLUMN "ackBy" TEXT;
ALTER TABLE "Unit" ADD COLUMN "ackComment" TEXT;

-- CreateTable
CREATE TABLE "ScopeBackground" (
    "scopeId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mime" TEXT NOT NULL,
    "data" BLOB NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ScopeBackground_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "user" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL DEFAULT '',
    "detail" TEXT NOT NULL DEFAULT ''
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_MonitoringObject" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "scopeId" INTEGER NOT NULL,
    "host" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "icon" TEXT NOT NULL DEFAULT 'jobnet',
    "mapX" INTEGER,
    "mapY" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MonitoringObject_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MonitoringObject_host_fkey" FOREIGN KEY ("host") REFERENCES "MonitoredHost" ("name") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_MonitoringObject" ("comment", "createdAt", "host", "id", "name", "scopeId", "unit") SELECT "comment", "createdAt", "host", "id", "name", "scopeId", "unit" FROM "MonitoringObject";
DROP TABLE "MonitoringObject";
ALTER TABLE "new_MonitoringObject" RENAME TO "MonitoringObject";
CREATE INDEX "MonitoringObject_scopeId_idx" ON "MonitoringObject"("scopeId");
CREATE INDEX "MonitoringObject_host_idx" ON "MonitoringObject"("host");
CREATE TABLE "new_Scope" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "parentId" INTEGER,
    "webhookUrl" TEXT,
    "webhookFilter" TEXT NOT NULL DEFAULT 'abnormal',
    "icon" TEXT NOT NULL DEFAULT 'scope',
    "mapX" INTEGER,
    "mapY" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Scope_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Scope" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Scope" ("comment", "createdAt", "id", "name", "parentId", "webhookFilter", "webhookUrl") SELECT "comment", "createdAt", "id", "name", "parentId", "webhookFilter", "webhookUrl" FROM "Scope";
DROP TABLE "Scope";
ALTER TABLE "new_Scope" RENAME TO "Scope";
CREATE INDEX "Scope_parentId_idx" ON "Scope"("parentId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");
