import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError, parseInput, requestLang, says } from './input';

describe('requestLang', () => {
  it('takes the first language of Accept-Language the View speaks, by weight, else English', () => {
    expect(requestLang(undefined)).toBe('en');
    expect(requestLang('')).toBe('en');
    expect(requestLang('ja')).toBe('ja');
    expect(requestLang('ja-JP,ja;q=0.9,en;q=0.8')).toBe('ja');
    expect(requestLang('fr-FR,ja;q=0.5,en;q=0.7')).toBe('en');
    expect(requestLang('en;q=0.1, JA-jp;q=0.8')).toBe('ja');
    expect(requestLang('ja;q=0, de')).toBe('en');
    expect(requestLang('*')).toBe('en');
  });
});

describe('parseInput', () => {
  const schema = z.object({ name: z.string().min(1, says('name is required', '名前は必須です')), size: z.number().max(5) }).strict();

  it('returns the data when it is right', () => {
    expect(parseInput(schema, { name: 'a', size: 1 })).toEqual({ name: 'a', size: 1 });
  });

  it('words every field in both languages, with zod Japanese where the schema says nothing', () => {
    let err: InputError | undefined;
    try {
      parseInput(schema, { name: '', size: 9 });
    } catch (e) {
      err = e as InputError;
    }
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message).toBe('name: name is required');
    expect(err!.fields).toEqual({ name: 'name is required', size: expect.stringMatching(/<=5/) });
    const ja = err!.in('ja');
    expect(ja.error).toBe('name: 名前は必須です');
    expect(ja.fields).toEqual({ name: '名前は必須です', size: expect.stringMatching(/^大きすぎる値/) });
  });

  it('leaves no language set behind: a later English parse stays English', () => {
    expect(() => parseInput(schema, { name: '' })).toThrow();
    const result = schema.safeParse({ name: '', size: 1 });
    expect(result.success ? '' : result.error.issues[0].message).toBe('name is required');
  });
});
