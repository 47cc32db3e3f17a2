// Builds everything the daemons run: the Prisma client, the command line bundle
// (dist/jobscope.mjs, and dist/jobscope-exec.cjs for `jobscope exec`) and the Next.js View
// (.next). Pass "server" to skip the View.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
const run = (cmd, args, env = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });

run(process.execPath, ['scripts/prisma-generate.mjs']);
// Packages stay in node_modules, except zod, which every command but exec loads: bundled, it is
// one file read instead of a hundred.
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
const cli = await esbuild.build({
  absWorkingDir: root,
  metafile: true,
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
// `jobscope exec`, run around every job, has a bundle of its own (server/cli/exec-main.ts): only
// what it uses, as CommonJS, which Node starts faster than a module. zod and commander would be
// most of its start, so the build refuses them there.
const notForExec = {
  name: 'not-for-exec',
  setup(build) {
    build.onResolve({ filter: /^(zod|commander)(\/|$)/ }, (args) => ({
      errors: [{ text: `${path.relative(root, args.importer)} imports ${args.path}, which jobscope exec must not load (it starts for every job)` }],
    }));
  },
};
// better-sqlite3's JS goes into exec's bundle too: finding and loading its dozen files costs more
// than all of exec's own code. Its addon stays where its install put it; `bindings`, which would
// look for it beside the bundle, is told the package's folder, after the usual place is tried.
const sqliteAddon = {
  name: 'sqlite-addon',
  setup(build) {
    build.onResolve({ filter: /^bindings$/ }, (args) =>
      args.importer.includes(`${path.sep}better-sqlite3${path.sep}lib${path.sep}`) ? { path: 'bindings', namespace: 'sqlite-addon' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'sqlite-addon' }, () => ({
      contents: `const path = require('node:path');
const root = path.dirname(require.resolve('better-sqlite3/package.json'));
module.exports = (name) => {
  try {
    return require(path.join(root, 'build', 'Release', name));
  } catch {
    return require('bindings')({ bindings: name, module_root: root });
  }
};
`,
      resolveDir: path.join(root, 'node_modules', 'better-sqlite3'),
      loader: 'js',
    }));
  },
};
const exec = await esbuild.build({
  absWorkingDir: root,
  metafile: true,
  entryPoints: { 'jobscope-exec': 'server/cli/exec-main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: [...external.filter((name) => !name.startsWith('better-sqlite3')), 'better-sqlite3/package.json'],
  plugins: [notForExec, sqliteAddon],
  // import.meta.url (projectRoot) as a module would see it.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  sourcemap: true,
  logLevel: 'warning',
});
// Chunks are named by their content: those of earlier builds would pile up in dist/.
const built = new Set([cli, exec].flatMap((b) => Object.keys(b.metafile.outputs)).map((file) => path.resolve(root, file)));
for (const file of fs.readdirSync(path.join(root, 'dist'))) if (!built.has(path.join(root, 'dist', file))) fs.rmSync(path.join(root, 'dist', file));
if (only !== 'server') run(path.join(root, 'node_modules/.bin/next'), ['build'], { NEXT_TELEMETRY_DISABLED: '1' });
