-- CreateTable
CREATE TABLE "Display" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "scopeId" INTEGER,
    "settings" TEXT NOT NULL,
    "credentialHash" TEXT,
    "enrolledBy" TEXT NOT NULL,
    "enrolledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3),
    "userAgent" TEXT NOT NULL DEFAULT '',
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Display_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisplayPairing" (
    "id" SERIAL NOT NULL,
    "codeHash" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdFrom" TEXT NOT NULL,
    "displayId" INTEGER,

    CONSTRAINT "DisplayPairing_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Display" ADD CONSTRAINT "Display_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DisplayPairing" ADD CONSTRAINT "DisplayPairing_displayId_fkey" FOREIGN KEY ("displayId") REFERENCES "Display"("id") ON DELETE CASCADE ON UPDATE CASCADE;
