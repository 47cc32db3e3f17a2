import type { Metadata } from 'next';
import { Suspense } from 'react';
import { WallPreview } from '@/components/display/wall-preview';

export const metadata: Metadata = { title: 'Wall display preview · Jobscope' };

export default function WallPreviewPage() {
  return (
    <Suspense>
      <WallPreview />
    </Suspense>
  );
}
