'use client';
// The definition forms: business scope, monitoring object, monitored host.
// Validation is the server's: its {error, fields} are shown beside the fields.
import { useState, type FormEvent } from 'react';
import { common } from '../i18n/dictionary';
import { useText } from '../i18n/lang';
import { ApiError } from '../session/api';
import { Field, NO_ERRORS, type FormErrors } from './field';
import type { RegisteredHost, Scope } from './types';
import { useCreateObject, useCreateScope, useRegisterHost } from './use-definitions';


function errorsOf(err: unknown): FormErrors {
  if (err instanceof ApiError) return { message: err.message, fields: err.fields };
  return { message: (err as Error).message, fields: {} };
}

function useSubmit<T>(run: () => Promise<T>, onDone: (result: T) => void) {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      onDone(await run());
    } catch (err) {
      setErrors(errorsOf(err));
    } finally {
      setBusy(false);
    }
  }
  return { errors, busy, submit };
}

function FormFoot({ id, busy, label, errors, done }: { id: string; busy: boolean; label: string; errors: FormErrors; done: string | null }) {
  const t = useText(common).definitions;
  return (
    <div className="form-foot">
      <button type="submit" className="button primary" data-testid={`${id}-submit`} disabled={busy}>
        {busy ? t.saving : label}
      </button>
      {errors.message && (
        <p className="form-error" role="alert" data-testid={`${id}-error`}>
          {errors.message}
        </p>
      )}
      {done && !errors.message && (
        <p className="form-note" role="status" data-testid={`${id}-done`}>
          {done}
        </p>
      )}
    </div>
  );
}

/** Scopes in tree order, each with its depth, for a <select>. */
export function scopeOptions(scopes: Scope[]): { scope: Scope; depth: number }[] {
  const ids = new Set<number>(scopes.map((s) => s.id));
  const out: { scope: Scope; depth: number }[] = [];
  const seen = new Set<number>();
  const walk = (parent: number | null, depth: number) => {
    for (const s of scopes
      .filter((s) => (s.parentId !== null && ids.has(s.parentId) ? s.parentId : null) === parent)
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen.has(s.id)) continue;
      seen.add(s.id);
      out.push({ scope: s, depth });
      walk(s.id, depth + 1);
    }
  };
  walk(null, 0);
  for (const s of scopes) if (!seen.has(s.id)) out.push({ scope: s, depth: 0 });
  return out;
}

const indent = (depth: number) => '\u00a0\u00a0'.repeat(depth);

/** A <select> holds text; send the scope's id as the server gave it. */
const scopeIdOf = (scopes: Scope[], value: string) => scopes.find((s) => String(s.id) === value)?.id;

export function ScopeForm({ scopes }: { scopes: Scope[] }) {
  const t = useText(common).definitions;
  const create = useCreateScope();
  const [name, setName] = useState('');
  const [comment, setComment] = useState('');
  const [parentId, setParentId] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { errors, busy, submit } = useSubmit(
    () => create.mutateAsync({ name: name.trim(), ...(comment.trim() ? { comment: comment.trim() } : {}), ...(parentId ? { parentId: scopeIdOf(scopes, parentId) } : {}) }),
    () => {
      setDone(t.created(name.trim()));
      setName('');
      setComment('');
    },
  );
  return (
    <form className="def-form" onSubmit={submit} data-testid="new-scope-form" aria-labelledby="new-scope-title">
      <h3 id="new-scope-title">{t.scopeTitle}</h3>
      <Field label={t.name} error={errors.fields.name} errorTestId="new-scope-name-error">
        <input data-testid="new-scope-name" value={name} required maxLength={80} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label={t.parent} error={errors.fields.parentId} errorTestId="new-scope-parent-error">
        <select data-testid="new-scope-parent" value={parentId} onChange={(e) => setParentId(e.target.value)}>
          <option value="">{t.noParent}</option>
          {scopeOptions(scopes).map(({ scope, depth }) => (
            <option key={scope.id} value={scope.id}>
              {indent(depth) + scope.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t.comment} error={errors.fields.comment} errorTestId="new-scope-comment-error">
        <input data-testid="new-scope-comment" value={comment} maxLength={500} onChange={(e) => setComment(e.target.value)} />
      </Field>
      <FormFoot id="new-scope" busy={busy} label={t.create} errors={errors} done={done} />
    </form>
  );
}

export function ObjectForm({ scopes, hosts }: { scopes: Scope[]; hosts: RegisteredHost[] }) {
  const t = useText(common).definitions;
  const create = useCreateObject();
  const [name, setName] = useState('');
  const [comment, setComment] = useState('');
  const [scopeId, setScopeId] = useState('');
  const [host, setHost] = useState('');
  const [unit, setUnit] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { errors, busy, submit } = useSubmit(
    () =>
      create.mutateAsync({
        name: name.trim(),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        scopeId: scopeIdOf(scopes, scopeId) as number,
        host,
        unit: unit.trim(),
      }),
    () => {
      setDone(t.created(name.trim()));
      setName('');
      setComment('');
      setUnit('');
    },
  );
  return (
    <form className="def-form" onSubmit={submit} data-testid="new-object-form" aria-labelledby="new-object-title">
      <h3 id="new-object-title">{t.objectTitle}</h3>
      <Field label={t.name} error={errors.fields.name} errorTestId="new-object-name-error">
        <input data-testid="new-object-name" value={name} required maxLength={80} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label={t.scope} error={errors.fields.scopeId} errorTestId="new-object-scope-error">
        <select data-testid="new-object-scope" value={scopeId} required onChange={(e) => setScopeId(e.target.value)}>
          <option value="">{t.chooseScope}</option>
          {scopeOptions(scopes).map(({ scope, depth }) => (
            <option key={scope.id} value={scope.id}>
              {indent(depth) + scope.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t.host} error={errors.fields.host} errorTestId="new-object-host-error" hint={hosts.length ? undefined : t.noHosts}>
        <select data-testid="new-object-host" value={host} required onChange={(e) => setHost(e.target.value)}>
          <option value="">{t.chooseHost}</option>
          {hosts.map((h) => (
            <option key={h.name} value={h.name}>
              {h.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t.unit} error={errors.fields.unit} errorTestId="new-object-unit-error" hint={t.unitHint}>
        <input
          data-testid="new-object-unit"
          value={unit}
          required
          spellCheck={false}
          placeholder="/Group/Jobnet"
          onChange={(e) => setUnit(e.target.value)}
        />
      </Field>
      <Field label={t.comment} error={errors.fields.comment} errorTestId="new-object-comment-error">
        <input data-testid="new-object-comment" value={comment} maxLength={500} onChange={(e) => setComment(e.target.value)} />
      </Field>
      <FormFoot id="new-object" busy={busy} label={t.create} errors={errors} done={done} />
    </form>
  );
}

export function HostForm() {
  const t = useText(common).definitions;
  const register = useRegisterHost();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [feedPort, setFeedPort] = useState('7421');
  const [token, setToken] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { errors, busy, submit } = useSubmit(
    () => register.mutateAsync({ name: name.trim(), address: address.trim(), feedPort: Number(feedPort), token }),
    () => {
      setDone(t.created(name.trim()));
      setName('');
      setAddress('');
      setToken('');
    },
  );
  return (
    <form className="def-form" onSubmit={submit} data-testid="new-host-form" aria-labelledby="new-host-title">
      <h3 id="new-host-title">{t.hostTitle}</h3>
      <Field label={t.name} error={errors.fields.name} errorTestId="new-host-name-error">
        <input data-testid="new-host-name" value={name} required spellCheck={false} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label={t.address} error={errors.fields.address} errorTestId="new-host-address-error">
        <input data-testid="new-host-address" value={address} required spellCheck={false} onChange={(e) => setAddress(e.target.value)} />
      </Field>
      <Field label={t.feedPort} error={errors.fields.feedPort} errorTestId="new-host-port-error">
        <input
          data-testid="new-host-port"
          type="number"
          min={1}
          max={65535}
          value={feedPort}
          required
          onChange={(e) => setFeedPort(e.target.value)}
        />
      </Field>
      <Field label={t.token} error={errors.fields.token} errorTestId="new-host-token-error">
        <input
          data-testid="new-host-token"
          type="password"
          autoComplete="off"
          value={token}
          required
          onChange={(e) => setToken(e.target.value)}
        />
      </Field>
      <FormFoot id="new-host" busy={busy} label={t.register} errors={errors} done={done} />
    </form>
  );
}
