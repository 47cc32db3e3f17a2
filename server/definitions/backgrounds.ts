// The image under a scope's map. Only raster types, recognised by their magic
// bytes and matching the type they were sent as: never SVG, which can carry script.
import type { Store, Tx } from '../store/db';
import { InputError, words, type Words } from '../input';
import { recordAudit } from '../audit/audit';

export const MAX_BACKGROUND_BYTES = 2 * 1024 * 1024;
export const BACKGROUND_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type BackgroundType = (typeof BACKGROUND_TYPES)[number];

const LABELS: Record<BackgroundType, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP', 'image/gif': 'GIF' };
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The image type that a file's first bytes say, or null if it is none of the accepted ones. */
export function sniffImage(data: Uint8Array): BackgroundType | null {
  const has = (bytes: number[], at = 0) => data.length >= at + bytes.length && bytes.every((b, i) => data[at + i] === b);
  if (has([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (has([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (has(ascii('GIF87a')) || has(ascii('GIF89a'))) return 'image/gif';
  if (has(ascii('RIFF')) && has(ascii('WEBP'), 8)) return 'image/webp';
  return null;
}

/** The media type of a content-type header, without its parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** What is wrong with an image given as a background (null: nothing), for people to read. */
export function backgroundProblem(mime: string, data: Uint8Array): Words | null {
  if (mime.includes('svg')) {
    return words(
      'SVG images are refused, as an SVG can carry script: use a PNG, JPEG, WebP or GIF image',
      'SVG 画像はスクリプトを含められるため受け付けません。PNG、JPEG、WebP、GIF の画像を使ってください',
    );
  }
  if (!(BACKGROUND_TYPES as readonly string[]).includes(mime)) {
    return words(
      `a background must be a PNG, JPEG, WebP or GIF image (image/png, image/jpeg, image/webp or image/gif), not ${mime || 'an unnamed type'}`,
      `背景は PNG、JPEG、WebP、GIF の画像 (image/png、image/jpeg、image/webp、image/gif) です。${mime || '種類のないもの'} は使えません`,
    );
  }
  if (data.length === 0) return words('the image is empty', '画像が空です');
  const mib = MAX_BACKGROUND_BYTES / 1024 / 1024;
  if (data.length > MAX_BACKGROUND_BYTES) return words(`the image is larger than ${mib} MiB`, `画像が ${mib} MiB を超えています`);
  const actual = sniffImage(data);
  const label = LABELS[mime as BackgroundType];
  if (actual === null) {
    return words(`the file is not a ${label} image: its content is not a PNG, JPEG, WebP or GIF picture`, `このファイルは ${label} 画像ではありません。中身が PNG、JPEG、WebP、GIF の画像ではありません`);
  }
  if (actual !== mime) return words(`the file is a ${LABELS[actual]} image but was sent as ${label} (${mime})`, `このファイルは ${LABELS[actual]} 画像ですが、${label} (${mime}) として送られました`);
  return null;
}

export interface BackgroundInfo {
  mime: BackgroundType;
  size: number;
  updatedAt: string;
}

/** Stores (or replaces) a scope's background after checking it; `user` is recorded in the audit log. */
export async function setBackground(store: Store, scopeId: number, contentType: string | undefined, data: Uint8Array, user: string): Promise<BackgroundInfo> {
  const mime = mediaType(contentType);
  const problem = backgroundProblem(mime, data);
  if (problem) throw new InputError(problem, { background: problem });
  const bytes = new Uint8Array(data);
  return store.$transaction(async (tx) => {
    const { name } = await findScope(tx, scopeId);
    const saved = await tx.scopeBackground.upsert({ where: { scopeId }, create: { scopeId, mime, data: bytes }, update: { mime, data: bytes }, select: { updatedAt: true } });
    await recordAudit(tx, { user, action: 'scope.update', target: name, detail: { id: scopeId, background: mime, bytes: data.length } });
    return { mime: mime as BackgroundType, size: data.length, updatedAt: saved.updatedAt.toISOString() };
  });
}

/** Removes a scope's background; a scope without one is left as it is. */
export async function deleteBackground(store: Store, scopeId: number, user: string): Promise<void> {
  await store.$transaction(async (tx) => {
    const { name } = await findScope(tx, scopeId);
    const { count } = await tx.scopeBackground.deleteMany({ where: { scopeId } });
    if (count > 0) await recordAudit(tx, { user, action: 'scope.update', target: name, detail: { id: scopeId, background: null } });
  });
}

async function findScope(tx: Tx, id: number): Promise<{ name: string }> {
  const scope = await tx.scope.findUnique({ where: { id }, select: { name: true } });
  if (!scope) throw new InputError(words(`no business scope ${id}`, `業務スコープ ${id} はありません`), {}, 404);
  return scope;
}

export async function getBackground(store: Store, scopeId: number): Promise<{ mime: string; data: Uint8Array; updatedAt: Date } | null> {
  return store.scopeBackground.findUnique({ where: { scopeId }, select: { mime: true, data: true, updatedAt: true } });
}

/** A validator that changes with every upload: its time and size. */
export function backgroundEtag(background: { data: Uint8Array; updatedAt: Date }): string {
  return `"${background.updatedAt.getTime().toString(36)}-${background.data.length.toString(36)}"`;
}
