'use client';
// What a signed-in guest or operator sees on an admin page opened by its
// address. The server refuses them the data anyway; this says so plainly.
import Link from 'next/link';
import { common } from '../i18n/dictionary';
import { useText } from '../i18n/lang';
import type { Role } from '../session/session';
import { usersText } from './text';
import styles from './users.module.css';

export function AdminsOnly({ role }: { role: Role }) {
  const t = useText(usersText).adminsOnly;
  const roles = useText(common).header.roles;
  return (
    <section className={styles.notice} role="alert" aria-labelledby="admins-only-title" data-testid="admins-only">
      <h1 id="admins-only-title" className={styles.noticeTitle}>
        <span aria-hidden="true">⛔</span>
        {t.title}
      </h1>
      <p>{t.body(roles[role])}</p>
      <p>
        <Link href="/monitor" className={styles.noticeLink}>
          {t.back}
        </Link>
      </p>
    </section>
  );
}
