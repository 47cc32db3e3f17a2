import type { Metadata } from 'next';
import { AppShell } from '@/components/shell/app-shell';
import { DisplaysScreen } from '@/components/displays/displays-screen';

export const metadata: Metadata = { title: 'Wall displays · Jobscope' };

export default function DisplaysPage() {
  return (
    <AppShell page="displays">
      <DisplaysScreen />
    </AppShell>
  );
}
