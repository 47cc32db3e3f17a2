-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonitoredHost" (
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "feedPort" INTEGER NOT NULL,
    "token" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MonitoredHost_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "FeedState" (
    "host" TEXT NOT NULL,
    "spoolId" TEXT,
    "offset" INTEGER NOT NULL DEFAULT 0,
    "lastContactAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "FeedState_pkey" PRIMARY KEY ("host")
);

-- CreateTable
CREATE TABLE "Scope" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "parentId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Scope_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonitoringObject" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "scopeId" INTEGER NOT NULL,
    "host" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MonitoringObject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Unit" (
    "host" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "spoolId" TEXT NOT NULL,
    "execId" TEXT NOT NULL,
    "runId" TEXT,
    "status" TEXT NOT NULL,
    "startSeq" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "exitCode" INTEGER,
    "node" TEXT,
    "reason" TEXT,
    "version" INTEGER NOT NULL,

    CONSTRAINT "Unit_pkey" PRIMARY KEY ("host","path")
);

-- CreateTable
CREATE TABLE "Run" (
    "host" TEXT NOT NULL,
    "execId" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "runId" TEXT,
    "spoolId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startSeq" INTEGER NOT NULL,
    "lastSeq" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "exitCode" INTEGER,
    "signal" TEXT,
    "node" TEXT,
    "pid" INTEGER,
    "outputTail" TEXT,
    "reason" TEXT,

    CONSTRAINT "Run_pkey" PRIMARY KEY ("host","execId")
);

-- CreateTable
CREATE TABLE "StoreMeta" (
    "id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "StoreMeta_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_name_key" ON "User"("name");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Scope_parentId_idx" ON "Scope"("parentId");

-- CreateIndex
CREATE INDEX "MonitoringObject_scopeId_idx" ON "MonitoringObject"("scopeId");

-- CreateIndex
CREATE INDEX "MonitoringObject_host_idx" ON "MonitoringObject"("host");

-- CreateIndex
CREATE INDEX "Unit_version_idx" ON "Unit"("version");

-- CreateIndex
CREATE INDEX "Run_host_unit_startSeq_idx" ON "Run"("host", "unit", "startSeq");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedState" ADD CONSTRAINT "FeedState_host_fkey" FOREIGN KEY ("host") REFERENCES "MonitoredHost"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Scope" ADD CONSTRAINT "Scope_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Scope"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonitoringObject" ADD CONSTRAINT "MonitoringObject_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonitoringObject" ADD CONSTRAINT "MonitoringObject_host_fkey" FOREIGN KEY ("host") REFERENCES "MonitoredHost"("name") ON DELETE RESTRICT ON UPDATE CASCADE;
