// An environment whose node refuses to load the AWS SDK: a command run with it proves that
// it answered from the cache alone.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes the loader hook into `dir` and returns the env that installs it. `also`: more
 * package names to refuse (the SQLite reader, say).
 */
export function forbidSdkEnv(dir: string, also: string[] = []): NodeJS.ProcessEnv {
  const hooks = join(dir, 'forbid-sdk-hooks.mjs');
  writeFileSync(
    hooks,
    `const refused = ${JSON.stringify(also)};\n` +
      'export async function resolve(specifier, context, next) {\n' +
      "  if (specifier.startsWith('@aws-sdk/')) throw new Error('the AWS SDK was loaded: ' + specifier);\n" +
      "  if (refused.includes(specifier)) throw new Error('a module of another path was loaded: ' + specifier);\n" +
      '  return next(specifier, context);\n}\n',
  );
  const register = join(dir, 'forbid-sdk.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`);
  return { NODE_OPTIONS: `--import=${register}` };
}
