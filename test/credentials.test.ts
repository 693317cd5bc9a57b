// Credentials and profiles as boto, boto3 and the AWS CLI take them: keys in the
// environment win over AWS_PROFILE (git-annex passes its keys that way), --profile means
// what AWS_PROFILE means (its region, its endpoint, its services section), and a failure
// to get credentials says why, in one line, without a secret.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { emulatorStarted, useEmulator } from './helpers/emulatorFixture.js';
import { runCli, type CliResult } from './helpers/runCli.js';
import { makeScratchDir } from './helpers/scratchDir.js';

const emulator = useEmulator();
let scratch: string;
let config: string;
let credentials: string;
const WRONG_SECRET = 'wrong-secret-never-printed-0123456789';
const PROCESS_SECRET = 'process-argument-secret-42';

/** No keys, region or endpoint from the environment unless given: only the files speak. */
function bareEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: scratch,
    GLACIER_CACHE_DIR: join(scratch, 'cache'),
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_EC2_METADATA_DISABLED: 'true',
    GLACIER_RETRY_ATTEMPTS: '2',
    GLACIER_RETRY_BASE_MS: '20',
    ...extra,
  };
}

function glacier(args: string[], extra: NodeJS.ProcessEnv): Promise<CliResult> {
  return runCli('glacier', args, { env: bareEnv(extra), timeoutMs: 60_000 });
}

function assertNoSecret(result: CliResult): void {
  const all = result.stdout.toString() + result.stderr;
  for (const secret of [WRONG_SECRET, PROCESS_SECRET, emulator.env.AWS_SECRET_ACCESS_KEY]) assert.ok(!all.includes(secret), all);
}

before(async () => {
  await emulatorStarted(emulator);
  scratch = makeScratchDir('glacier-credentials-');
  config = join(scratch, 'config');
  credentials = join(scratch, 'credentials');
  const endpoint = emulator.env.AWS_ENDPOINT_URL_GLACIER;
  writeFileSync(
    config,
    [
      '[profile stale]',
      'region = us-east-1',
      '',
      '[profile emu]',
      'region = eu-west-1',
      `endpoint_url = ${endpoint}`,
      '',
      '[profile emu-services]',
      'region = ap-south-1',
      'services = local-glacier',
      '',
      '[services local-glacier]',
      'glacier =',
      `  endpoint_url = ${endpoint}`,
      '',
      '[profile sso]',
      'sso_session = corp',
      'sso_account_id = 111122223333',
      'sso_role_name = Archivist',
      'region = us-east-1',
      '',
      '[sso-session corp]',
      'sso_start_url = https://sso.example.invalid/start',
      'sso_region = us-east-1',
      '',
      '[profile proc]',
      `credential_process = sh -c 'echo "corp vault: token expired, run corp-login" >&2; exit 3' ${PROCESS_SECRET}`,
      '',
    ].join('\n'),
  );
  const keys = `aws_access_key_id = ${emulator.env.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${emulator.env.AWS_SECRET_ACCESS_KEY}\n`;
  writeFileSync(credentials, `[stale]\naws_access_key_id = ${emulator.env.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${WRONG_SECRET}\n\n[emu]\n${keys}\n[emu-services]\n${keys}`);
  for (const region of ['us-east-1', 'eu-west-1', 'ap-south-1']) {
    const created = await runCli('glacier', [`--region=${region}`, 'vault', 'create', `creds-${region}`], { env: { ...bareEnv({}), ...emulator.env } });
    assert.equal(created.status, 0, created.stderr);
  }
});

after(async () => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

describe('which credentials', () => {
  test('keys in the environment win over AWS_PROFILE, silently', async () => {
    const result = await glacier(['vault', 'list'], { ...emulator.env, AWS_PROFILE: 'stale' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.toString(), 'creds-us-east-1\n');
    assert.equal(result.stderr, '');
  });

  test('--profile wins over keys in the environment, as in the AWS CLI', async () => {
    const result = await glacier(['--profile', 'stale', 'vault', 'list'], { ...emulator.env });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^glacier: AWS rejected the credentials/);
    assertNoSecret(result);
  });

  for (const how of ['--profile', 'AWS_PROFILE']) {
    test(`${how}: the profile's region and endpoint_url`, async () => {
      const result = how === '--profile' ? await glacier(['--profile', 'emu', 'vault', 'list'], {}) : await glacier(['vault', 'list'], { AWS_PROFILE: 'emu' });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout.toString(), 'creds-eu-west-1\n');
      assert.equal(result.stderr, '');
    });

    test(`${how}: the endpoint of the profile's services section`, async () => {
      const result = how === '--profile' ? await glacier(['--profile', 'emu-services', 'vault', 'list'], {}) : await glacier(['vault', 'list'], { AWS_PROFILE: 'emu-services' });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout.toString(), 'creds-ap-south-1\n');
    });
  }
});

describe('a credential failure says why, in one line', () => {
  const endpoint = (): NodeJS.ProcessEnv => ({ AWS_ENDPOINT_URL_GLACIER: emulator.env.AWS_ENDPOINT_URL_GLACIER });

  test('an SSO profile without a token: run aws sso login', async () => {
    const result = await glacier(['--profile', 'sso', 'vault', 'list'], endpoint());
    assert.equal(result.status, 1);
    assert.equal(result.stdout.length, 0);
    assert.equal(result.stderr, "glacier: AWS profile 'sso' signs in with SSO and has no valid token: run 'aws sso login --profile sso', then try again\n");
  });

  test('a failing credential_process: its own message, not its command line', async () => {
    const result = await glacier(['vault', 'list'], { ...endpoint(), AWS_PROFILE: 'proc' });
    assert.equal(result.status, 1);
    assert.equal(result.stderr, "glacier: the credential_process of AWS profile 'proc' failed: corp vault: token expired, run corp-login\n");
    assertNoSecret(result);
  });

  test('a profile that is nowhere: named', async () => {
    const result = await glacier(['vault', 'list'], { ...endpoint(), AWS_PROFILE: 'nosuch' });
    assert.equal(result.status, 1);
    assert.equal(result.stderr, "glacier: AWS profile 'nosuch' is not in the AWS config or credentials file\n");
  });
});
