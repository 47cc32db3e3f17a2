#!/usr/bin/env node
// Prisma's CLI with no engine download: the schema engine is scripts/schema-engine.mjs
// (WebAssembly). Use it for every prisma command, e.g.
//   node scripts/prisma.mjs migrate diff --from-migrations prisma/sqlite/migrations --to-schema prisma/schema.prisma
//   JOBSCOPE_PRISMA_URL=postgresql://… node scripts/prisma.mjs migrate status --config prisma.postgresql.config.ts
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const prismaBin = path.join(root, 'node_modules', '.bin', 'prisma');

/** The configuration, schema and migrations folder of each provider. */
export const PROVIDERS = {
  sqlite: { config: 'prisma.config.ts', schema: 'prisma/schema.prisma', migrations: 'prisma/sqlite/migrations' },
  postgresql: { config: 'prisma.postgresql.config.ts', schema: 'prisma/postgresql/schema.prisma', migrations: 'prisma/postgresql/migrations' },
};

export function prismaEnv(extra = {}) {
  return {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'scripts', 'schema-engine.mjs'),
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
    ...extra,
  };
}

/** Runs the prisma CLI and collects its output. */
export function runPrisma(args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(prismaBin, args, { cwd: root, env: prismaEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * The SQL that takes a provider's committed migrations to its schema (or to
 * another schema file): '' when they agree. PostgreSQL needs a server URL for
 * its shadow database.
 */
export async function migrationsToSchema(provider, { url, schema } = {}) {
  const p = PROVIDERS[provider];
  const env = { JOBSCOPE_PRISMA_URL: url ?? '' };
  if (provider === 'postgresql' && !url) throw new Error('a PostgreSQL diff needs a server: pass its URL');
  const r = await runPrisma(
    ['migrate', 'diff', '--config', p.config, '--from-migrations', p.migrations, '--to-schema', schema ?? p.schema, '--script', '--exit-code'],
    env,
  );
  // --exit-code: 0 no difference, 2 a difference, anything else an error.
  if (r.status === 0) return '';
  if (r.status === 2) return r.stdout.trim() + '\n';
  throw new Error(`prisma migrate diff (${provider}) failed (${r.status}): ${(r.stderr || r.stdout).trim()}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const child = spawn(prismaBin, process.argv.slice(2), { cwd: root, stdio: 'inherit', env: prismaEnv() });
  child.on('close', (status) => process.exit(status ?? 1));
}
