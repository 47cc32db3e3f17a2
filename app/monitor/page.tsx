import type { Metadata } from 'next';
import { MonitorScreen } from '@/components/monitor/monitor-screen';

export const metadata: Metadata = { title: 'Monitor · Jobscope' };

export default function MonitorPage() {
  return <MonitorScreen />;
}
