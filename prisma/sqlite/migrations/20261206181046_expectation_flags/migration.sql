-- AlterTable
ALTER TABLE "MonitoringObject" ADD COLUMN "expectationSince" DATETIME;

-- CreateTable
CREATE TABLE "ExpectationFlag" (
    "objectId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "occurrence" DATETIME NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "raisedAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "endReason" TEXT,
    "ackBy" TEXT,
    "ackAt" DATETIME,
    "ackComment" TEXT,

    PRIMARY KEY ("objectId", "kind", "occurrence"),
    CONSTRAINT "ExpectationFlag_objectId_fkey" FOREIGN KEY ("objectId") REFERENCES "MonitoringObject" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ExpectationFlag_endedAt_idx" ON "ExpectationFlag"("endedAt");
