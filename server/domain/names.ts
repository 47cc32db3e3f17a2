// Host names and run ids, as every edge checks them. Plain functions, no zod:
// `jobscope exec`, started for every job, loads none (events.ts builds its schemas from these).

export const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export const MAX_RUN_ID = 128;

/** What is wrong with a run id (shared by the jobs of one jobnet run), or null when nothing is. */
export function runIdProblem(id: string): string | null {
  if (id.length === 0) return 'run id is empty';
  if (id.length > MAX_RUN_ID) return `run id is longer than ${MAX_RUN_ID} characters`;
  if (!/^[\x21-\x7e]+$/.test(id)) return 'run id must be printable ASCII without spaces';
  return null;
}
