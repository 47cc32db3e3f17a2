// The one way the View talks to the manager's REST API (/api/v1): same-origin
// JSON with the session cookie, the CSRF header on every mutating request, and
// the server's error text ({error, fields}) carried in an ApiError, written by
// the server in the language the user chose.
import { words } from '../../server/domain/words';
import { browserLang } from '../i18n/lang-choice';

export const API = '/api/v1';

const UNREACHABLE = words('The console could not be reached.', 'コンソールに接続できませんでした。');

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly path: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** A file sent as it is (an image), named by its own content type; the server checks what it really is. */
  file?: Blob;
  /** From GET /session; required by the server for POST and DELETE (except /login). */
  csrfToken?: string;
  /** The revision a change is based on: the server refuses it (409) if the stored one differs. */
  ifMatch?: string;
  signal?: AbortSignal;
}

/** A call's answer when it succeeded; a refusal or no answer is thrown as an ApiError. */
export async function apiResponse(path: string, options: ApiOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const lang = browserLang();
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': lang };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.file) headers['content-type'] = options.file.type || 'application/octet-stream';
  if (options.csrfToken) headers['x-csrf-token'] = options.csrfToken;
  if (options.ifMatch) headers['if-match'] = `"${options.ifMatch}"`;
  let response: Response;
  try {
    response = await fetch(API + path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: options.file ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    // Network failure: status 0 tells callers "the console did not answer".
    throw new ApiError(0, UNREACHABLE[lang], path);
  }
  if (!response.ok) {
    const body = ((await response.json().catch(() => null)) ?? {}) as { error?: unknown; fields?: unknown };
    const message = typeof body.error === 'string' ? body.error : `${response.status} ${response.statusText}`.trim();
    const fields = body.fields && typeof body.fields === 'object' ? (body.fields as Record<string, string>) : {};
    throw new ApiError(response.status, message, path, fields);
  }
  return response;
}

export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const response = await apiResponse(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json().catch(() => null)) as T;
}

/**
 * A 401 anywhere but the login call itself means the session is gone. A wall display's own
 * calls (/display…) hold no session: a refusal there is the display's to handle, never a login form.
 */
export function isSessionLost(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.path !== '/login' && !error.path.startsWith('/display');
}

/** Leave for the login page, keeping nothing but the way back. */
export function goToLogin(): void {
  if (typeof window === 'undefined' || window.location.pathname === '/login') return;
  window.location.assign('/login');
}
