// Every word on screen comes in English and Japanese. Each domain keeps its own
// words beside its components; the type makes a missing Japanese entry a build error.
import type { Lang } from './lang-choice';

/** The shape of a dictionary with its literal strings widened, so a translation fits it. */
export type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => string
    ? (...args: A) => string
    : { [K in keyof T]: Widen<T[K]> };

export type Texts<T> = Record<Lang, Widen<T>>;

export function defineTexts<T>(en: T, ja: Widen<T>): Texts<T> {
  return { en: en as Widen<T>, ja };
}
