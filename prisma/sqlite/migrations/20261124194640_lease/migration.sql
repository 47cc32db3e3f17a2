-- CreateTable
CREATE TABLE "Lease" (
    "host" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "epoch" INTEGER NOT NULL,
    "since" DATETIME NOT NULL,
    "renewedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL
);
