// npm runs this before packing and when installing from a clone or a git URL
// (`npm install -g .`). Those installs may come without the dev dependencies, so the
// TypeScript compiler is installed first when it is missing, then the code is compiled.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.env.npm_execpath;
const require = createRequire(`${root}package.json`);

function compilerPath() {
  try {
    return require.resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

let tsc = compilerPath();
if (tsc === undefined) {
  console.error('glacier-cli: installing the build tools (TypeScript) to compile');
  const args = ['install', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save'];
  // The outer npm's settings (--global, --prefix) are for the outer install, not this one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_config_')));
  const options = { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] };
  if (npm !== undefined && existsSync(npm)) execFileSync(process.execPath, [npm, ...args], options);
  else execFileSync('npm', args, options);
  tsc = compilerPath();
  if (tsc === undefined) throw new Error('TypeScript is still missing after npm install');
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
// In a clone, the emulator workspace the tests and the demo run is compiled too.
const emulator = `${root}packages/glacier-emulator/tsconfig.json`;
if (existsSync(emulator)) execFileSync(process.execPath, [tsc, '-p', emulator], { cwd: root, stdio: 'inherit' });
