-- AlterTable
ALTER TABLE "MonitoringObject" ADD COLUMN     "expectationSince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ExpectationFlag" (
    "objectId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "occurrence" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "raisedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "endReason" TEXT,
    "ackBy" TEXT,
    "ackAt" TIMESTAMP(3),
    "ackComment" TEXT,

    CONSTRAINT "ExpectationFlag_pkey" PRIMARY KEY ("objectId","kind","occurrence")
);

-- CreateIndex
CREATE INDEX "ExpectationFlag_endedAt_idx" ON "ExpectationFlag"("endedAt");

-- AddForeignKey
ALTER TABLE "ExpectationFlag" ADD CONSTRAINT "ExpectationFlag_objectId_fkey" FOREIGN KEY ("objectId") REFERENCES "MonitoringObject"("id") ON DELETE CASCADE ON UPDATE CASCADE;
