import type { Metadata } from 'next';
import { Suspense } from 'react';
import { MonitorScreen } from '@/components/monitor/monitor-screen';
import { AppShell } from '@/components/shell/app-shell';

export const metadata: Metadata = { title: 'Monitor · Jobscope' };

export default function MonitorPage() {
  return (
    <AppShell page="monitor">
      {/* The view lives in the URL's query, read in the browser. */}
      <Suspense>
        <MonitorScreen />
      </Suspense>
    </AppShell>
  );
}
