-- CreateTable
CREATE TABLE "Lease" (
    "host" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "epoch" INTEGER NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "renewedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Lease_pkey" PRIMARY KEY ("host")
);
