import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { checkLocalFileSystem, HeldError, readHolder, takeHold } from './hold';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-hold-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

it('holds a host exclusively, names the holder to a second taker, and raises the epoch on every new hold', () => {
  const dir = tempDir();
  const first = takeHold(dir, 'lh1', 'manager');
  expect(first.epoch).toBe(1);
  expect(readHolder(dir, 'manager')).toMatchObject({ host: 'lh1', part: 'manager', pid: process.pid, node: os.hostname(), epoch: 1 });
  expect(() => takeHold(dir, 'lh1', 'manager')).toThrow(HeldError);
  expect(() => takeHold(dir, 'lh1', 'manager')).toThrow(new RegExp(`held by manager pid ${process.pid} on node ${os.hostname()}`));
  // Parts hold separately: an agent and a manager of one logical host run side by side.
  const agent = takeHold(dir, 'lh1', 'agent');
  first.release();
  expect(readHolder(dir, 'manager')).toBeNull();
  const second = takeHold(dir, 'lh1', 'manager');
  expect(second.epoch).toBe(2);
  second.release();
  agent.release();
});

it('says when the data folder is missing', () => {
  expect(() => takeHold(path.join(tempDir(), 'not-mounted'), 'lh1', 'agent')).toThrow(/does not exist: is the shared disk mounted/);
});

it('accepts a local file system', () => {
  expect(() => checkLocalFileSystem(tempDir())).not.toThrow();
});
