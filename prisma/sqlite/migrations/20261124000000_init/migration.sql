-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" INTEGER NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MonitoredHost" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "address" TEXT NOT NULL,
    "feedPort" INTEGER NOT NULL,
    "token" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "FeedState" (
    "host" TEXT NOT NULL PRIMARY KEY,
    "spoolId" TEXT,
    "offset" INTEGER NOT NULL DEFAULT 0,
    "lastContactAt" DATETIME,
    "lastError" TEXT,
    CONSTRAINT "FeedState_host_fkey" FOREIGN KEY ("host") REFERENCES "MonitoredHost" ("name") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Scope" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "parentId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Scope_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Scope" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MonitoringObject" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "scopeId" INTEGER NOT NULL,
    "host" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MonitoringObject_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MonitoringObject_host_fkey" FOREIGN KEY ("host") REFERENCES "MonitoredHost" ("name") ON DELETE RESTRICT ON UPDATE CASCADE
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
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    "exitCode" INTEGER,
    "node" TEXT,
    "reason" TEXT,
    "version" INTEGER NOT NULL,

    PRIMARY KEY ("host", "path")
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
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    "exitCode" INTEGER,
    "signal" TEXT,
    "node" TEXT,
    "pid" INTEGER,
    "outputTail" TEXT,
    "reason" TEXT,

    PRIMARY KEY ("host", "execId")
);

-- CreateTable
CREATE TABLE "StoreMeta" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" INTEGER NOT NULL
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
