-- AlterTable
ALTER TABLE "MonitoredHost" ADD COLUMN     "tlsCa" TEXT,
ADD COLUMN     "tlsFingerprint" TEXT;
