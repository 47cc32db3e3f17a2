import type { Metadata } from 'next';
import { HostsScreen } from '@/components/hosts/hosts-screen';
import { AppShell } from '@/components/shell/app-shell';

export const metadata: Metadata = { title: 'Monitored hosts · Jobscope' };

export default function HostsPage() {
  return (
    <AppShell page="hosts">
      <HostsScreen />
    </AppShell>
  );
}
