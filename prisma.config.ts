import { defineConfig } from 'prisma/config';

// The SQLite console store. The store's location comes from each host's
// configuration at run time; `prisma migrate` commands (through
// scripts/prisma.mjs, which supplies the schema engine) take a database from
// JOBSCOPE_PRISMA_URL, e.g. file:./data/dev.db.
const url = process.env.JOBSCOPE_PRISMA_URL;
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/sqlite/migrations' },
  ...(url ? { datasource: { url } } : {}),
});
