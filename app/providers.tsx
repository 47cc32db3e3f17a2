'use client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ApiError, goToLogin, isSessionLost } from '@/components/session/api';
import { LangProvider } from '@/components/i18n/lang';

function onError(error: unknown) {
  if (isSessionLost(error)) goToLogin();
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError }),
        mutationCache: new MutationCache({ onError }),
        defaultOptions: {
          queries: {
            staleTime: 30_000,
            // A refusal (4xx) will not change by asking again; a failover (network, 5xx) will,
            // however long it takes: a wall display must come back with no touch.
            retry: (_count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500),
            retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 5_000),
          },
          mutations: { retry: false },
        },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <LangProvider>{children}</LangProvider>
    </QueryClientProvider>
  );
}
