// The View is rendered by Next.js behind the manager's own http.Server
// (server/daemons/manager.ts); Next only renders pages, it serves no API.

/** @type {import('next').NextConfig} */
const config = {
  // Both nodes of a cluster serve the same build: a fixed id keeps a browser
  // that fails over from one node to the other on the same chunks.
  generateBuildId: async () => 'jobscope',
  poweredByHeader: false,
  reactStrictMode: true,
  // next build type-checks the View it builds (and the shared modules it imports);
  // `tsc --noEmit` (scripts/test.sh) checks the whole tree, server and tests included.
  typescript: { tsconfigPath: 'tsconfig.view.json' },
};

export default config;
