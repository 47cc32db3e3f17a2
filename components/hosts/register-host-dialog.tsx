'use client';
// An admin registers a monitored host: logical name, address, feed port, token, and
// how the console checks the feed's TLS: plain http, a CA certificate, or a pinned
// fingerprint of the agent's certificate (the server checks and keeps either).
import { useState, type ChangeEvent } from 'react';
import { Dialog, DialogFoot } from '../definitions/dialog';
import { Field, formMessage } from '../definitions/field';
import { useSubmit } from '../definitions/submit';
import { useRegisterHost } from '../definitions/use-definitions';
import { useLang, useText } from '../i18n/lang';
import { hostsText } from './text';
import defStyles from '../definitions/definitions.module.css';
import { tokenBits, tokenProblem } from '../../server/domain/feed-token';
import styles from './hosts.module.css';

const SHOWN = ['name', 'address', 'feedPort', 'token', 'tlsCa', 'tlsFingerprint'] as const;

type TlsChoice = 'plain' | 'ca' | 'pin';

export function RegisterHostDialog({ onClose }: { onClose(): void }) {
  const t = useText(hostsText);
  const register = useRegisterHost();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [feedPort, setFeedPort] = useState('7421');
  const [token, setToken] = useState('');
  const [tls, setTls] = useState<TlsChoice>('plain');
  const [ca, setCa] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const [caFileError, setCaFileError] = useState<string | undefined>();
  const { errors, busy, submit } = useSubmit(
    () =>
      register.mutateAsync({
        name: name.trim(),
        address: address.trim(),
        feedPort: Number(feedPort),
        token,
        // Only the one chosen goes: the other may still hold what was typed before switching.
        ...(tls === 'ca' ? { tlsCa: ca } : tls === 'pin' ? { tlsFingerprint: fingerprint.trim() } : {}),
      }),
    () => onClose(),
  );
  const message = formMessage(errors, SHOWN, t.fixFields);
  const lang = useLang();
  // The server's rule, applied as the token is typed: what it still lacks, or that it will do.
  const tokenCheck = token ? (tokenProblem(token)?.[lang] ?? t.tokenStrong(Math.floor(tokenBits(token)))) : null;

  async function readCaFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    // A CA certificate is a few kilobytes; anything much larger is not one.
    if (file.size > 64 * 1024) return setCaFileError(t.tls.caFileTooLarge(file.name));
    setCaFileError(undefined);
    setCa(await file.text());
  }

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
          <Field label={t.tls.label} errorTestId="host-tls-error" hint={t.tls.hint[tls]}>
            {(p) => (
              <select {...p} data-testid="host-tls" value={tls} onChange={(e) => setTls(e.target.value as TlsChoice)}>
                <option value="plain">{t.tls.plain}</option>
                <option value="ca">{t.tls.ca}</option>
                <option value="pin">{t.tls.pin}</option>
              </select>
            )}
          </Field>
          {tls === 'ca' && (
            <Field label={t.tls.caLabel} error={errors.fields.tlsCa ?? caFileError} errorTestId="host-tls-ca-error" hint={t.tls.caHint}>
              {(p) => (
                <div className={styles.pemField}>
                  <textarea
                    {...p}
                    className={styles.pem}
                    data-testid="host-tls-ca"
                    rows={5}
                    spellCheck={false}
                    placeholder="-----BEGIN CERTIFICATE-----"
                    value={ca}
                    onChange={(e) => setCa(e.target.value)}
                  />
                  <label className={`button small ${styles.file}`}>
                    {t.tls.caFile}
                    <input type="file" accept=".pem,.crt,.cer,application/x-pem-file" data-testid="host-tls-ca-file" onChange={readCaFile} />
                  </label>
                </div>
              )}
            </Field>
          )}
          {tls === 'pin' && (
            <Field label={t.tls.pinLabel} error={errors.fields.tlsFingerprint} errorTestId="host-tls-fingerprint-error" hint={t.tls.pinHint}>
              {(p) => (
                <input
                  {...p}
                  className={styles.mono}
                  data-testid="host-tls-fingerprint"
                  value={fingerprint}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="AB:CD:…"
                  onChange={(e) => setFingerprint(e.target.value)}
                />
              )}
            </Field>
          )}
        </div>
        <DialogFoot id="host" message={message} busy={busy} submitLabel={t.submit} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
