-- AlterTable
ALTER TABLE "MonitoredHost" ADD COLUMN "tlsCa" TEXT;
ALTER TABLE "MonitoredHost" ADD COLUMN "tlsFingerprint" TEXT;
