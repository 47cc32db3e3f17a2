-- AlterTable
ALTER TABLE "MonitoringObject" ADD COLUMN     "icon" TEXT NOT NULL DEFAULT 'jobnet',
ADD COLUMN     "mapX" INTEGER,
ADD COLUMN     "mapY" INTEGER;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "ackAt" TIMESTAMP(3),
ADD COLUMN     "ackBy" TEXT,
ADD COLUMN     "ackComment" TEXT;

-- AlterTable
ALTER TABLE "Scope" ADD COLUMN     "icon" TEXT NOT NULL DEFAULT 'scope',
ADD COLUMN     "mapX" INTEGER,
ADD COLUMN     "mapY" INTEGER;

-- AlterTable
ALTER TABLE "Unit" ADD COLUMN     "ackAt" TIMESTAMP(3),
ADD COLUMN     "ackBy" TEXT,
ADD COLUMN     "ackComment" TEXT;

-- CreateTable
CREATE TABLE "ScopeBackground" (
    "scopeId" INTEGER NOT NULL,
    "mime" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScopeBackground_pkey" PRIMARY KEY ("scopeId")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "user" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL DEFAULT '',
    "detail" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- AddForeignKey
ALTER TABLE "ScopeBackground" ADD CONSTRAINT "ScopeBackground_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope"("id") ON DELETE CASCADE ON UPDATE CASCADE;
