import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuditScreen } from '@/components/audit/audit-screen';
import { AppShell } from '@/components/shell/app-shell';

export const metadata: Metadata = { title: 'Audit log · Jobscope' };

export default function AuditPage() {
  return (
    <AppShell page="audit">
      {/* The filter and the page live in the URL's query, read in the browser. */}
      <Suspense>
        <AuditScreen />
      </Suspense>
    </AppShell>
  );
}
