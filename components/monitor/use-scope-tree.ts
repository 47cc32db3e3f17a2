'use client';
import { useMemo, useRef } from 'react';
import type { Definitions } from '../definitions/types';
import type { LiveStore } from '../live/live-store';
import { buildScopeTree, type ScopeTree } from './scope-tree';

/**
 * The scope tree of the definitions with the live states, built against the last one so that
 * what did not change stays the same object (and its memoised tile is not rendered again).
 * `revision` is the store's (useLiveRevision): the store is mutable, its revision says when it changed.
 */
export function useScopeTree(defs: Definitions | undefined, store: LiveStore, revision: number): ScopeTree | null {
  const last = useRef<ScopeTree | null>(null);
  return useMemo(() => (last.current = defs ? buildScopeTree(defs, store, last.current) : null), [defs, store, revision]);
}
