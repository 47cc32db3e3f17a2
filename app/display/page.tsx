import type { Metadata } from 'next';
import { DisplayScreen } from '@/components/display/display-screen';

export const metadata: Metadata = { title: 'Wall display · Jobscope' };

// No sign-in: the screen holds a display credential, or asks to be enrolled.
export default function DisplayPage() {
  return <DisplayScreen />;
}
