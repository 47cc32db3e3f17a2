'use client';
// An admin registers a monitored host: logical name, address, feed port, token.
import { useState } from 'react';
import { Dialog, DialogFoot } from '../definitions/dialog';
import { Field, formMessage } from '../definitions/field';
import { useSubmit } from '../definitions/submit';
import { useRegisterHost } from '../definitions/use-definitions';
import { useLang, useText } from '../i18n/lang';
import { hostsText } from './text';
import defStyles from '../definitions/definitions.module.css';
import { tokenBits, tokenProblem } from '../../server/domain/feed-token';

const SHOWN = ['name', 'address', 'feedPort', 'token'] as const;

export function RegisterHostDialog({ onClose }: { onClose(): void }) {
  const t = useText(hostsText);
  const register = useRegisterHost();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [feedPort, setFeedPort] = useState('7421');
  const [token, setToken] = useState('');
  const { errors, busy, submit } = useSubmit(
    () => register.mutateAsync({ name: name.trim(), address: address.trim(), feedPort: Number(feedPort), token }),
    () => onClose(),
  );
  const message = formMessage(errors, SHOWN, t.fixFields);
  const lang = useLang();
  // The server's rule, applied as the token is typed: what it still lacks, or that it will do.
  const tokenCheck = token ? (tokenProblem(token)?.[lang] ?? t.tokenStrong(Math.floor(tokenBits(token)))) : null;

  return (
    <Dialog title={t.registerTitle} testId="host-dialog" onClose={onClose}>
      <form className={defStyles.form} onSubmit={submit} noValidate data-testid="host-form">
        <div className={defStyles.body}>
          <Field label={t.name} error={errors.fields.name} errorTestId="host-name-error" hint={t.nameHint}>
            {(p) => <input {...p} data-autofocus data-testid="host-name" value={name} spellCheck={false} autoComplete="off" onChange={(e) => setName(e.target.value)} />}
          </Field>
          <div className={defStyles.row}>
            <Field label={t.address} error={errors.fields.address} errorTestId="host-address-error" hint={t.addressHint}>
              {(p) => <input {...p} data-testid="host-address" value={address} spellCheck={false} autoComplete="off" onChange={(e) => setAddress(e.target.value)} />}
            </Field>
            <Field label={t.feedPort} error={errors.fields.feedPort} errorTestId="host-port-error">
              {(p) => <input {...p} data-testid="host-port" type="number" min={1} max={65535} value={feedPort} onChange={(e) => setFeedPort(e.target.value)} />}
            </Field>
          </div>
          <Field
            label={t.token}
            error={errors.fields.token}
            errorTestId="host-token-error"
            hint={
              <>
                {t.tokenHint}
                {tokenCheck && (
                  <>
                    <br />
                    <span data-testid="host-token-check" aria-live="polite">
                      {tokenCheck}
                    </span>
                  </>
                )}
              </>
            }
          >
            {(p) => <input {...p} data-testid="host-token" type="password" autoComplete="new-password" value={token} onChange={(e) => setToken(e.target.value)} />}
          </Field>
        </div>
        <DialogFoot id="host" message={message} busy={busy} submitLabel={t.submit} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
