// The View is rendered by Next.js behind the manager's own http.Server
// (server/daemons/manager.ts); Next only renders pages, it serves no API.

/** @type {import('next').NextConfig} */
const config = {
  // Both nodes of a cluster serve the same build: a fixed id keeps a browser
  // that fails over from one node to the other on the same chunks.
  generateBuildId: async () => 'jobscope',
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
