import type { Metadata } from 'next';
import { LoginForm } from '@/components/login/login-form';

export const metadata: Metadata = { title: 'Sign in · Jobscope' };

export default function LoginPage() {
  return (
    <main className="login-page">
      <LoginForm />
    </main>
  );
}
