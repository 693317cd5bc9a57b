// Glacier speaks HTTPS. The emulator speaks HTTP, so here a TLS front end whose certificate
// a private CA signed stands before it, and the real executables upload, retrieve and sync
// through TLS: both of the client's HTTP paths, the SDK's own and the one GetJobOutput
// takes (src/aws/http), trust that CA through AWS_CA_BUNDLE or the profile's ca_bundle,
// and without it refuse the certificate with one line that says what to set.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HttpConnection } from '../src/aws/http/httpConnection.js';
import { secureContextWith } from '../src/aws/http/route.js';
import { useEmulator } from './helpers/emulatorFixture.js';
import { runCli, type CliResult } from './helpers/runCli.js';
import { tlsFront, type TlsFront } from './helpers/tlsFront.js';
import { clientEnv, sha256Hex } from './retrieveFixtures.js';
import { randomData } from './helpers/randomData.js';
import { MiB } from '../src/streams/treeHash.js';
import { makeScratchDir } from './helpers/scratchDir.js';

describe('over HTTPS with a private CA', () => {
  const emulator = useEmulator({ jobDelay: 0, inventoryDelay: 0 });
  let front: TlsFront;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  before(async () => {
    dir = makeScratchDir('glacier-https-test-');
    front = await tlsFront(dir, Number(new URL(emulator.endpoint).port));
    env = { ...clientEnv(emulator, join(dir, 'cache')), AWS_ENDPOINT_URL_GLACIER: `https://127.0.0.1:${front.port}`, AWS_CA_BUNDLE: front.caFile };
    delete env.NODE_EXTRA_CA_CERTS;
  });
  after(async () => {
    await front.close();
  });

  const glacier = (args: string[], input?: Buffer, environment = env): Promise<CliResult> =>
    runCli('glacier', args, { env: environment, timeoutMs: 60_000, ...(input !== undefined ? { input } : {}) });

  test('with AWS_CA_BUNDLE: upload, retrieve to stdout and to a file, and sync, all through TLS', async () => {
    const data = randomData(8 * MiB + 1);
    const file = join(dir, 'archive.bin');
    writeFileSync(file, data);
    for (const args of [
      ['vault', 'create', 'tls'],
      ['archive', 'upload', '--name', 'archive.bin', 'tls', file],
    ]) {
      const result = await glacier(args);
      assert.equal(result.status, 0, result.stderr);
    }
    assert.equal((await glacier(['archive', 'retrieve', '-o-', 'tls', 'archive.bin'])).status, 75);

    const toStdout = await glacier(['archive', 'retrieve', '-o-', '--multipart-size', '1M', 'tls', 'archive.bin']);
    assert.equal(toStdout.status, 0, toStdout.stderr);
    assert.equal(sha256Hex(toStdout.stdout), sha256Hex(data));
    const target = join(dir, 'copy.bin');
    const toFile = await glacier(['archive', 'retrieve', '-o', target, 'tls', 'archive.bin']);
    assert.equal(toFile.status, 0, toFile.stderr);
    assert.equal(sha256Hex(readFileSync(target)), sha256Hex(data));

    const fresh = { ...env, GLACIER_CACHE_DIR: join(dir, 'fresh-cache') };
    assert.equal((await runCli('glacier', ['vault', 'sync', 'tls'], { env: fresh })).status, 75);
    const synced = await runCli('glacier', ['vault', 'sync', 'tls'], { env: fresh });
    assert.equal(synced.status, 0, synced.stderr);
    assert.equal((await runCli('glacier', ['archive', 'list', 'tls'], { env: fresh })).stdout.toString(), 'archive.bin\n');
    assert.ok(front.connections() > 0, 'the client went through the TLS front end');
  });

  test("the profile's ca_bundle is trusted the same way, on both HTTP paths", async () => {
    const config = join(dir, 'aws-config');
    writeFileSync(config, `[default]\nregion = us-east-1\nca_bundle = ${front.caFile}\n`);
    const profiled: NodeJS.ProcessEnv = { ...env, AWS_CONFIG_FILE: config };
    delete profiled.AWS_CA_BUNDLE;
    const result = await glacier(['archive', 'retrieve', '-o-', '--multipart-size', '1M', 'tls', 'archive.bin'], undefined, profiled);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.length, 8 * MiB + 1);
  });

  test('without the CA: one line naming the host and what to set, and no retries', async () => {
    const untrusting: NodeJS.ProcessEnv = { ...env, GLACIER_DEBUG: '1' };
    delete untrusting.AWS_CA_BUNDLE;
    const result = await glacier(['archive', 'retrieve', '-o-', 'tls', 'archive.bin'], undefined, untrusting);
    assert.equal(result.status, 1);
    assert.equal(result.stdout.length, 0);
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.filter((line) => line.startsWith('glacier: debug: ')).length, 1, 'one attempt');
    assert.match(
      lines.filter((line) => !line.startsWith('glacier: debug: ')).join('\n'),
      /^glacier: cannot reach Glacier at https:\/\/127\.0\.0\.1:\d+: the TLS certificate of 127\.0\.0\.1 is not trusted \(unable to verify the first certificate\); if a private CA signed it, set AWS_CA_BUNDLE \(or ca_bundle in the profile\) to that CA's PEM file$/,
    );
    // GetJobOutput's own connections check the certificate too, and trust the bundle.
    const origin = { protocol: 'https:', hostname: '127.0.0.1', port: front.port } as const;
    const timeouts = { connectMs: 5000, idleMs: 5000 };
    await assert.rejects(HttpConnection.open(origin, timeouts), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    const trusting = await HttpConnection.open(origin, timeouts, { proxy: undefined, secureContext: secureContextWith({ path: front.caFile, source: 'test' }) });
    trusting.destroy();
  });
});
