// A real PostgreSQL server for the whole test run (docs/architecture.md, "Tests with real parts"),
// started once and stopped at the end. Tests get its URL with inject('postgresUrl')
// and make their own databases in it (server/testing/postgres.ts).
import type { TestProject } from 'vitest/node';
import { startPgServer } from '../../scripts/pg-test-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPgServer();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
