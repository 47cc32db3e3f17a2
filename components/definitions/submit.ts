'use client';
import { useState, type FormEvent } from 'react';
import { errorsOf, NO_ERRORS, type FormErrors } from './field';

/** One form's submit: busy while the server answers, its refusal kept for the fields. */
export function useSubmit<T>(run: () => Promise<T>, onDone: (result: T) => void) {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  async function submit(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const result = await run();
      setBusy(false);
      onDone(result);
    } catch (err) {
      setErrors(errorsOf(err));
      setBusy(false);
    }
  }
  return { errors, busy, submit };
}
