import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Providers } from './providers';
import './globals.css';

// Every page is rendered per request: its scripts carry that response's CSP nonce (server/http/edge.ts).
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Jobscope',
  description: 'Monitoring console for scheduled job units',
};

export const viewport: Viewport = {
  colorScheme: 'dark',
  themeColor: '#15181d',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
