-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_StoreMeta" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" INTEGER NOT NULL,
    "epoch" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_StoreMeta" ("id", "version") SELECT "id", "version" FROM "StoreMeta";
DROP TABLE "StoreMeta";
ALTER TABLE "new_StoreMeta" RENAME TO "StoreMeta";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
