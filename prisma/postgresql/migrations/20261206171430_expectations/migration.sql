-- AlterTable
ALTER TABLE "MonitoringObject" ADD COLUMN     "expectation" TEXT;
