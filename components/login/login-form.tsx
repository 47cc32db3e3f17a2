'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { common } from '../i18n/dictionary';
import { useText } from '../i18n/lang';
import { LangSelect } from '../i18n/lang-select';
import { api, ApiError } from '../session/api';
import type { User } from '../session/session';
import { handOverUrl, HOST_STORAGE_KEY, userFromHash, type ConnectAnswer } from './connect';


function rememberedHost(): string {
  try {
    return window.localStorage.getItem(HOST_STORAGE_KEY) || window.location.hostname;
  } catch {
    return window.location.hostname;
  }
}

export function LoginForm() {
  const t = useText(common).login;
  const text = useText(common);
  const router = useRouter();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [host, setHost] = useState('');
  const [hydrated, setHydrated] = useState(false);
  const [busy, setBusy] = useState<null | 'signing-in' | { to: string }>(null);
  const [error, setError] = useState<string | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const userRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Only fill what the operator has not typed already.
    const handedUser = userFromHash(window.location.hash);
    setUser((u) => u || handedUser);
    setHost((h) => h || rememberedHost());
    setHydrated(true);
    (handedUser ? passwordRef : userRef).current?.focus();
  }, []);

  /** Why signing in failed, in the operator's language (the server answers in it). */
  function loginError(err: unknown, target: string): string {
    if (!(err instanceof ApiError)) return t.failed;
    if (err.path === '/login') return err.message;
    if (err.status === 502 || err.status === 0) return t.unreachableHost(target);
    return err.message;
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setBusy('signing-in');
    const target = host.trim() || window.location.hostname;
    try {
      const answer = await api<ConnectAnswer>(`/connect?host=${encodeURIComponent(target)}`);
      try {
        window.localStorage.setItem(HOST_STORAGE_KEY, target);
      } catch {
        // Private windows may refuse storage; remembering the host is a convenience.
      }
      if (!answer.self) {
        setBusy({ to: target });
        window.location.assign(handOverUrl(answer.url, user.trim()));
        return;
      }
      await api<{ user: User }>('/login', { method: 'POST', body: { user: user.trim(), password } });
      router.replace('/monitor');
    } catch (err) {
      setBusy(null);
      setError(loginError(err, target));
      if (err instanceof ApiError && err.status === 401) {
        setPassword('');
        passwordRef.current?.focus();
      }
    }
  }

  const working = busy !== null;
  return (
    <form className="login-card" method="post" onSubmit={submit} aria-busy={working}>
      <div className="login-brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">{text.product}</span>
        <LangSelect />
      </div>
      <h1 className="login-title">{t.title}</h1>
      <label className="field">
        <span className="field-label">{t.user}</span>
        <input
          ref={userRef}
          data-testid="login-user"
          name="user"
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          required
          value={user}
          onChange={(e) => setUser(e.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">{t.password}</span>
        <input
          ref={passwordRef}
          data-testid="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">{t.host}</span>
        <input
          data-testid="login-host"
          name="host"
          autoCapitalize="off"
          spellCheck={false}
          required
          value={host}
          onChange={(e) => setHost(e.target.value)}
          aria-describedby="login-host-hint"
        />
        <span className="field-hint" id="login-host-hint">
          {t.hostHint}
        </span>
      </label>
      {error && (
        <p className="form-error" role="alert" data-testid="login-error">
          {error}
        </p>
      )}
      {typeof busy === 'object' && busy !== null && <p className="form-note">{t.redirecting(busy.to)}</p>}
      {/* Disabled until hydrated: a native submit would send the password nowhere useful. */}
      <button className="button primary" type="submit" data-testid="login-submit" disabled={!hydrated || working}>
        {working ? t.submitting : t.submit}
      </button>
    </form>
  );
}
