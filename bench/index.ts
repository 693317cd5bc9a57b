// `npm run bench`: runs every benchmark module of this folder in turn. Each prints its
// own figures and the ratios measured in the same run; nothing here asserts a time.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Bench {
  run(): Promise<void>;
}

// The figures go to stdout; keep stderr free of the AWS SDK's advice to upgrade Node.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const names = readdirSync(here)
  .filter((file) => file.endsWith('.js') && file !== 'index.js')
  .map((file) => file.slice(0, -3))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

for (const name of names) {
  process.stdout.write(`\n== ${name}\n`);
  const bench = (await import(new URL(`./${name}.js`, import.meta.url).href)) as Bench;
  await bench.run();
}
