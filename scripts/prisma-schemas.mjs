#!/usr/bin/env node
// prisma/schema.prisma (provider sqlite) is the one source of the console store's
// schema. A Prisma schema has one provider, so the PostgreSQL schema is written
// from it: same models, provider postgresql, its own client folder.
//   node scripts/prisma-schemas.mjs           writes prisma/postgresql/schema.prisma
//   node scripts/prisma-schemas.mjs --check   exits 1 if that file differs from what it would write
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE = path.join(root, 'prisma', 'schema.prisma');
export const POSTGRESQL = path.join(root, 'prisma', 'postgresql', 'schema.prisma');

const HEADER = `// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.mjs: do not edit.
// Edit the source, then run: npm run prisma:generate
`;

/** The PostgreSQL schema for a source schema's text. Throws on what it cannot carry over. */
export function postgresqlSchema(source) {
  // Native types name one provider's column types: they would not mean the same on the other.
  const native = /@db\.\w+/.exec(source);
  if (native) throw new Error(`prisma/schema.prisma uses ${native[0]}: native types differ between SQLite and PostgreSQL, keep the source portable`);
  let datasources = 0;
  let generators = 0;
  const out = source
    .replace(/^(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*)"sqlite"/m, (_, head) => {
      datasources++;
      return `${head}"postgresql"`;
    })
    .replace(/^(generator\s+client\s*\{[^}]*?output\s*=\s*)"\.\.\/server\/store\/generated"/m, (_, head) => {
      generators++;
      return `${head}"../../server/store/generated-pg"`;
    });
  if (datasources !== 1) throw new Error('prisma/schema.prisma: expected one datasource with provider = "sqlite"');
  if (generators !== 1) throw new Error('prisma/schema.prisma: expected generator client with output = "../server/store/generated"');
  // The source's opening comment speaks of the source itself.
  return HEADER + out.replace(/^(\/\/.*\n)+\n?/, '\n');
}

export function expectedPostgresqlSchema() {
  return postgresqlSchema(fs.readFileSync(SOURCE, 'utf8'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const expected = expectedPostgresqlSchema();
  const current = fs.existsSync(POSTGRESQL) ? fs.readFileSync(POSTGRESQL, 'utf8') : null;
  if (process.argv.includes('--check')) {
    if (current !== expected) {
      process.stderr.write(`${path.relative(root, POSTGRESQL)} is not what scripts/prisma-schemas.mjs writes from prisma/schema.prisma; run: npm run prisma:generate\n`);
      process.exit(1);
    }
  } else if (current !== expected) {
    fs.mkdirSync(path.dirname(POSTGRESQL), { recursive: true });
    fs.writeFileSync(POSTGRESQL, expected);
    process.stdout.write(`wrote ${path.relative(root, POSTGRESQL)}\n`);
  }
}
