import type { Scope } from './types';

/** Scopes in tree order, each with its depth, for a <select>; `without` and the scopes inside it are left out. */
export function scopeOptions(scopes: Scope[], without: number | null = null): { scope: Scope; depth: number }[] {
  const ids = new Set<number>(scopes.map((s) => s.id));
  const excluded = without === null ? new Set<number>() : scopesWithin(scopes, without);
  const out: { scope: Scope; depth: number }[] = [];
  const seen = new Set<number>();
  const walk = (parent: number | null, depth: number) => {
    for (const s of scopes
      .filter((s) => (s.parentId !== null && ids.has(s.parentId) ? s.parentId : null) === parent)
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen.has(s.id) || excluded.has(s.id)) continue;
      seen.add(s.id);
      out.push({ scope: s, depth });
      walk(s.id, depth + 1);
    }
  };
  walk(null, 0);
  // A cycle of parents has no root: offer its members at the top rather than lose them.
  for (const s of scopes) if (!seen.has(s.id) && !excluded.has(s.id)) out.push({ scope: s, depth: 0 });
  return out;
}

/** A scope and every scope below it. */
export function scopesWithin(scopes: Scope[], root: number): Set<number> {
  const found = new Set<number>([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of scopes) {
      if (s.parentId !== null && found.has(s.parentId) && !found.has(s.id)) {
        found.add(s.id);
        grew = true;
      }
    }
  }
  return found;
}

/** A scope's name indented by its depth, as an <option> shows it. */
export const indented = (name: string, depth: number) => '\u00a0\u00a0'.repeat(depth) + name;

/** A <select> holds text; send the scope's id as the server gave it. */
export const scopeIdOf = (scopes: Scope[], value: string) => scopes.find((s) => String(s.id) === value)?.id;
