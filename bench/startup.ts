// How long the calls git-annex makes most often take when they need no network: the
// probe (`glacier --compatibility-test-git-annex`, before every operation), `--help`, and
// a checkpresent answered from the cache. Each is compared with a bare `node` start on
// this machine, measured in the same run, and with a start that loads the AWS SDK.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GlacierCache } from '../src/cache/glacierCache.js';
import { identityKey } from '../src/aws/knownVaultScope.js';
import { writeOldCache } from '../test/helpers/oldCache.js';
import { binPath, REPO_ROOT } from '../test/helpers/runCli.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function medianMs(args: string[], env: NodeJS.ProcessEnv): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, args, { env, stdio: 'ignore', cwd: REPO_ROOT });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

export async function run(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'glacier-bench-startup-'));
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: scratch,
      GLACIER_CACHE_DIR: join(scratch, 'cache'),
      AWS_ACCESS_KEY_ID: 'AKIABENCH',
      AWS_SECRET_ACCESS_KEY: 'unused',
      AWS_REGION: 'us-east-1',
      // Nothing listens here: a cached answer must not need it.
      AWS_ENDPOINT_URL_GLACIER: 'http://127.0.0.1:9',
      GLACIER_RETRY_ATTEMPTS: '1',
    };
    // A cache that knows the account and one archive uploaded just now.
    const cache = GlacierCache.open(env.GLACIER_CACHE_DIR as string);
    const keyId = process.env.AWS_ACCESS_KEY_ID;
    process.env.AWS_ACCESS_KEY_ID = env.AWS_ACCESS_KEY_ID;
    cache.rememberAccount(identityKey({ region: 'us-east-1' }), '123456789012');
    if (keyId === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    else process.env.AWS_ACCESS_KEY_ID = keyId;
    cache.putArchive({ account: '123456789012', region: 'us-east-1', vault: 'bench' }, { id: 'bench-archive-id', name: 'SHA256E-s1--x', createdHere: Date.now() });
    cache.close();

    const glacier = binPath('glacier');
    const bare = medianMs(['-e', ''], env);
    const sdk = medianMs(['--input-type=module', '-e', "await import('@aws-sdk/client-glacier')"], env);
    const rows: [string, number][] = [
      ['node -e ""  (bare start)', bare],
      ['node: import @aws-sdk/client-glacier', sdk],
      ['glacier --compatibility-test-git-annex', medianMs([glacier, '--compatibility-test-git-annex'], env)],
      ['glacier --help', medianMs([glacier, '--help'], env)],
      ['glacier archive checkpresent (cached)', medianMs([glacier, 'archive', 'checkpresent', 'bench', '--quiet', 'SHA256E-s1--x'], env)],
    ];
    // A user who came from the Python glacier-cli: its SQLite file, imported by the first call.
    const upgraded = { ...env, XDG_CACHE_HOME: join(scratch, 'xdg') };
    writeOldCache(join(scratch, 'xdg', 'glacier-cli', 'db'), [{ id: 'old-archive-id', name: 'SHA256E-s2--y', vault: 'bench', key: 'AKIABENCH', createdHere: Date.now() / 1000 }]);
    const checkOld = [glacier, 'archive', 'checkpresent', 'bench', '--quiet', 'SHA256E-s2--y'];
    spawnSync(process.execPath, checkOld, { env: upgraded, stdio: 'ignore', cwd: REPO_ROOT });
    rows.push(['checkpresent (cached, old cache imported)', medianMs(checkOld, upgraded)]);
    process.stdout.write(`median of ${RUNS} runs each\n`);
    for (const [what, ms] of rows) {
      process.stdout.write(`${what.padEnd(42)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / bare).toFixed(2)}x bare node, +${(ms - bare).toFixed(1)} ms\n`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
