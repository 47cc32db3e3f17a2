// The InputError a call is refused with, to look at its message and fields.
import { expect } from 'vitest';
import { InputError } from '../input';

export async function refusal(work: Promise<unknown>): Promise<InputError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}
