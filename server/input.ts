// Bad input, found at the edge: a message for people and one per field for forms.
import type { z } from 'zod';

export class InputError extends Error {
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
    readonly status: 400 | 404 | 409 | 502 = 400,
  ) {
    super(message);
  }
}

export function parseInput<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.') || '_';
    fields[key] ??= issue.message;
  }
  const first = Object.entries(fields)[0];
  throw new InputError(first[0] === '_' ? first[1] : `${first[0]}: ${first[1]}`, fields);
}
