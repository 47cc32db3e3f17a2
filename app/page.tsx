import { redirect } from 'next/navigation';

// The console opens in monitoring mode; /monitor sends a visitor without a session to /login.
export default function Home(): never {
  redirect('/monitor');
}
