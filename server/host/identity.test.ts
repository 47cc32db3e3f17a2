import { describe, expect, it } from 'vitest';
import { chooseHostName, physicalHostName } from './identity';

/** An environment holding only the given variables. */
const only = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe('chooseHostName', () => {
  it('-h wins over JOBSCOPE_HOSTNAME', () => {
    expect(chooseHostName('lhost1', only({ JOBSCOPE_HOSTNAME: 'lhost2' }))).toBe('lhost1');
  });

  it('uses JOBSCOPE_HOSTNAME when there is no -h', () => {
    expect(chooseHostName(undefined, only({ JOBSCOPE_HOSTNAME: 'lhost2' }))).toBe('lhost2');
  });

  it('ignores an empty JOBSCOPE_HOSTNAME and falls back to the physical host', () => {
    expect(chooseHostName(undefined, only({ JOBSCOPE_HOSTNAME: '' }))).toBe(physicalHostName());
    expect(chooseHostName(undefined, only({}))).toBe(physicalHostName());
  });

  it('refuses names that are not DNS-like, from either source', () => {
    expect(() => chooseHostName('bad name', only({}))).toThrow(/not a valid host name/);
    expect(() => chooseHostName(undefined, only({ JOBSCOPE_HOSTNAME: '-lead' }))).toThrow(/not a valid host name/);
    expect(() => chooseHostName('a'.repeat(254), only({}))).toThrow(/not a valid host name/);
  });
});
