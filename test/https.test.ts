// Glacier speaks HTTPS. The emulator speaks HTTP, so here a TLS front end with a
// certificate made for the test (trusted through NODE_EXTRA_CA_CERTS) stands before it,
// and the real executables upload, retrieve and sync through TLS: both of the client's
// HTTP paths, the SDK's own and the one GetJobOutput takes (src/aws/http), are exercised.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as connectTcp, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createServer as createTlsServer, type Server } from 'node:tls';
import { HttpConnection } from '../src/aws/http/httpConnection.js';
import { startEmulator, type Emulator } from './helpers/emulator.js';
import { runCli, type CliResult } from './helpers/runCli.js';
import { clientEnv, sha256Hex, someBytes } from './retrieveFixtures.js';
import { MiB } from '../src/streams/treeHash.js';

/** A TLS server on 127.0.0.1 that passes every connection's bytes to `port`, and back. */
async function tlsFrontEnd(dir: string, port: number): Promise<{ port: number; certificate: string; server: Server; requests: () => number }> {
  const key = join(dir, 'key.pem');
  const certificate = join(dir, 'cert.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certificate, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  let connections = 0;
  const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(certificate) }, (client) => {
    connections++;
    const upstream: Socket = connectTcp({ host: '127.0.0.1', port });
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, certificate, server, requests: () => connections };
}

describe('over HTTPS', () => {
  let emulator: Emulator;
  let front: Awaited<ReturnType<typeof tlsFrontEnd>>;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  before(async () => {
    emulator = await startEmulator({ jobDelay: 0, inventoryDelay: 0 });
    dir = mkdtempSync(join(tmpdir(), 'glacier-https-test-'));
    front = await tlsFrontEnd(dir, new URL(emulator.endpoint).port === '' ? 80 : Number(new URL(emulator.endpoint).port));
    env = { ...clientEnv(emulator, join(dir, 'cache')), AWS_ENDPOINT_URL_GLACIER: `https://127.0.0.1:${front.port}`, NODE_EXTRA_CA_CERTS: front.certificate };
  });
  after(async () => {
    await new Promise((resolve) => front.server.close(resolve));
    await emulator.stop();
  });

  const glacier = (args: string[], input?: Buffer): Promise<CliResult> =>
    runCli('glacier', args, { env, timeoutMs: 60_000, ...(input !== undefined ? { input } : {}) });

  test('upload, retrieve to stdout and to a file, and sync, all through TLS', async () => {
    const data = someBytes(8 * MiB + 1);
    const file = join(dir, 'archive.bin');
    writeFileSync(file, data);
    for (const args of [['vault', 'create', 'tls'], ['archive', 'upload', '--name', 'archive.bin', 'tls', file]]) {
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
    assert.ok(front.requests() > 0, 'the client went through the TLS front end');
  });

  test('a certificate the client does not trust is refused, by either HTTP path', async () => {
    const untrusting = { ...env, NODE_EXTRA_CA_CERTS: '' };
    const result = await runCli('glacier', ['archive', 'retrieve', '-o-', 'tls', 'archive.bin'], { env: untrusting, timeoutMs: 60_000 });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /self[- ]signed certificate/i);
    assert.equal(result.stdout.length, 0);
    // This test process does not trust it either: GetJobOutput's own connections check it too.
    const opening = HttpConnection.open({ protocol: 'https:', hostname: '127.0.0.1', port: front.port }, { connectMs: 5000, idleMs: 5000 });
    await assert.rejects(opening, { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });
});
