/**
 * After `tsc`: makes dist/ an installable package of its own — its package.json (the exports
 * pointing at the compiled .js and .d.ts instead of the .ts sources the repository uses) and the
 * README. `npm pack ./dist` then produces the tarball a relying party installs.
 */
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

const compiled = (source) => {
  const base = source.replace(/^\.\/src\//, './').replace(/\.ts$/, '');
  return { types: `${base}.d.ts`, default: `${base}.js` };
};
const exports = Object.fromEntries(
  Object.entries(manifest.exports).map(([subpath, target]) => [subpath, target.endsWith('.ts') ? compiled(target) : target]),
);
for (const [subpath, target] of Object.entries(exports)) {
  if (typeof target === 'object' && !fs.existsSync(path.join(dist, target.default)))
    throw new Error(`${subpath}: ${target.default} was not built`);
}

const { private: _private, scripts: _scripts, devDependencies: _devDependencies, ...published } = manifest;
fs.writeFileSync(path.join(dist, 'package.json'), `${JSON.stringify({ ...published, exports }, null, 2)}\n`);
fs.copyFileSync(path.join(root, 'README.md'), path.join(dist, 'README.md'));
