// What the View checks itself before sending a background: only the size, for a
// quick answer. The server is the judge of the rest (type, content), and of size too.

/** The server's limit (server/definitions/backgrounds.ts). */
export const MAX_BACKGROUND_BYTES = 2 * 1024 * 1024;
/** What the file chooser offers; a file of any other type still goes to the server, which says why not. */
export const BACKGROUND_ACCEPT = 'image/png,image/jpeg,image/webp,image/gif';

export function tooLarge(size: number): boolean {
  return size > MAX_BACKGROUND_BYTES;
}

/** A file size as people read it: bytes, KiB or MiB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The image's address; `version` changes when the definitions do, so that a replaced image is fetched again (the server answers 304 if it is not). */
export function backgroundUrl(scopeId: number, version: number): string {
  return `/api/v1/scopes/${scopeId}/background?v=${version}`;
}
