// Writes the PostgreSQL schema from the one source (prisma/schema.prisma) and
// generates both Prisma clients (server/store/generated, server/store/generated-pg),
// with no engine download: `prisma generate` does not run the schema engine.
import { execFileSync } from 'node:child_process';
import { PROVIDERS, prismaBin, prismaEnv, root } from './prisma.mjs';

execFileSync(process.execPath, ['scripts/prisma-schemas.mjs'], { cwd: root, stdio: 'inherit' });
for (const { config } of Object.values(PROVIDERS)) {
  execFileSync(prismaBin, ['generate', '--config', config], { cwd: root, stdio: 'inherit', env: prismaEnv() });
}
