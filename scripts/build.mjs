// Builds everything the daemons run: the Prisma client, the command line bundle
// (dist/jobscope.mjs) and the Next.js View (.next). Pass "server" to skip the View.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
const run = (cmd, args, env = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });

run(process.execPath, ['scripts/prisma-generate.mjs']);
// Packages stay in node_modules, except zod, which every command loads: bundled, it is
// one file read instead of a hundred, which is most of what `jobscope exec` (run for every job) costs.
const BUNDLED = ['zod'];
const { dependencies } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const external = Object.keys(dependencies).filter((name) => !BUNDLED.includes(name)).flatMap((name) => [name, `${name}/*`]);
// zod's namespace carries all its 60-odd message locales; the console words zod's messages in
// English and Japanese only (server/input.ts), so the bundle keeps those two.
const zodLocales = {
  name: 'zod-locales',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: 'zod-locales', namespace: 'zod-locales', pluginData: path.dirname(args.importer) } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: 'export { default as en } from "../locales/en.js";\nexport { default as ja } from "../locales/ja.js";\n',
      resolveDir: args.pluginData,
    }));
  },
};
await esbuild.build({
  absWorkingDir: root,
  entryPoints: { jobscope: 'server/cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [zodLocales],
  sourcemap: true,
  logLevel: 'warning',
});
if (only !== 'server') run(path.join(root, 'node_modules/.bin/next'), ['build'], { NEXT_TELEMETRY_DISABLED: '1' });
