import type { Metadata } from 'next';
import { AppShell } from '@/components/shell/app-shell';
import { UsersScreen } from '@/components/users/users-screen';

export const metadata: Metadata = { title: 'Users · Jobscope' };

export default function UsersPage() {
  return (
    <AppShell page="users">
      <UsersScreen />
    </AppShell>
  );
}
