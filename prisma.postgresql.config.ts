import { defineConfig } from 'prisma/config';

// The PostgreSQL console store: the schema written from prisma/schema.prisma by
// scripts/prisma-schemas.mjs and its own migrations. `prisma migrate` commands
// (through scripts/prisma.mjs --config prisma.postgresql.config.ts) take the
// server from JOBSCOPE_PRISMA_URL (postgresql://…); without a shadow database
// URL, a throwaway one is created beside the main database and dropped after.
const url = process.env.JOBSCOPE_PRISMA_URL;
const shadowDatabaseUrl = process.env.JOBSCOPE_PRISMA_SHADOW_URL;
export default defineConfig({
  schema: 'prisma/postgresql/schema.prisma',
  migrations: { path: 'prisma/postgresql/migrations' },
  ...(url ? { datasource: { url, ...(shadowDatabaseUrl ? { shadowDatabaseUrl } : {}) } } : {}),
});
