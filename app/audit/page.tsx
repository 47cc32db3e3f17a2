import type { Metadata } from 'next';
import { AuditScreen } from '@/components/audit/audit-screen';
import { AppShell } from '@/components/shell/app-shell';

export const metadata: Metadata = { title: 'Audit log · Jobscope' };

export default function AuditPage() {
  return (
    <AppShell page="audit">
      <AuditScreen />
    </AppShell>
  );
}
