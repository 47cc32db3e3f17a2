// Where the login form sends the browser: this console, or another one that
// the connection host names (only the user name travels, in the fragment).

export type ConnectAnswer = { self: true; host: string } | { self: false; url: string };

export const HOST_STORAGE_KEY = 'jobscope.connectionHost';

/** The other console's login page with the user name prefilled; never the password. */
export function handOverUrl(url: string, user: string): string {
  const base = url.split('#')[0];
  return user ? `${base}#user=${encodeURIComponent(user)}` : base;
}

/** The user name from a `#user=` fragment, as another console hands it over. */
export function userFromHash(hash: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get('user') ?? '';
}
