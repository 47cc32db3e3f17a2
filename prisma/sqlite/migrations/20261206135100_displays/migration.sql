-- CreateTable
CREATE TABLE "Display" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "scopeId" INTEGER,
    "settings" TEXT NOT NULL,
    "credentialHash" TEXT,
    "enrolledBy" TEXT NOT NULL,
    "enrolledAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME,
    "userAgent" TEXT NOT NULL DEFAULT '',
    "revokedAt" DATETIME,
    CONSTRAINT "Display_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DisplayPairing" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "codeHash" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "createdFrom" TEXT NOT NULL,
    "displayId" INTEGER,
    CONSTRAINT "DisplayPairing_displayId_fkey" FOREIGN KEY ("displayId") REFERENCES "Display" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Display_credentialHash_key" ON "Display"("credentialHash");

-- CreateIndex
CREATE INDEX "Display_scopeId_idx" ON "Display"("scopeId");

-- CreateIndex
CREATE UNIQUE INDEX "DisplayPairing_codeHash_key" ON "DisplayPairing"("codeHash");

-- CreateIndex
CREATE UNIQUE INDEX "DisplayPairing_secretHash_key" ON "DisplayPairing"("secretHash");

-- CreateIndex
CREATE INDEX "DisplayPairing_expiresAt_idx" ON "DisplayPairing"("expiresAt");

-- CreateIndex
CREATE INDEX "DisplayPairing_displayId_idx" ON "DisplayPairing"("displayId");
