// Through a real proxy (Debian's tinyproxy, on loopback with its own configuration and
// log): the emulator sits behind a gate that serves only connections coming from the
// proxy's outgoing address, so every request that reaches it went through the proxy, and
// the proxy's log names each tunnel. Both of the client's HTTP paths are exercised: the
// SDK's (hpagent) and GetJobOutput's own connections, over HTTP and over TLS.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { useEmulator } from './helpers/emulatorFixture.js';
import { runCli, type CliResult } from './helpers/runCli.js';
import { closedPort, proxyOnlyGate, startTinyproxy, tinyproxyMissing, type Gate, type Tinyproxy } from './helpers/tinyproxy.js';
import { tlsFront, type TlsFront } from './helpers/tlsFront.js';
import { clientEnv, sha256Hex } from './retrieveFixtures.js';
import { randomData } from './helpers/randomData.js';
import { MiB } from '../src/streams/treeHash.js';
import { makeScratchDir } from './helpers/scratchDir.js';

const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];

describe('through an HTTP proxy', { skip: tinyproxyMissing() }, () => {
  const emulator = useEmulator({ jobDelay: 0, inventoryDelay: 0 });
  let proxy: Tinyproxy;
  let gate: Gate;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dir = makeScratchDir('glacier-proxy-test-');
    proxy = await startTinyproxy(dir);
    gate = await proxyOnlyGate(Number(new URL(emulator.endpoint).port));
    env = withProxies(clientEnv(emulator, join(dir, 'cache')), { AWS_ENDPOINT_URL_GLACIER: `http://127.0.0.1:${gate.port}`, HTTP_PROXY: proxy.url });
  });
  after(async () => {
    await gate?.close();
    await proxy?.stop();
  });

  const glacier = (args: string[], environment = env): Promise<CliResult> => runCli('glacier', args, { env: environment, timeoutMs: 60_000 });

  /** Runs the command and checks that the requests it made went through new tunnels of the proxy. */
  async function throughProxy(args: string[], operations: string[], expectedStatus = 0, environment = env, target = `127.0.0.1:${gate.port}`): Promise<CliResult> {
    const tunnelsBefore = proxy.tunnels().length;
    const countsBefore = await emulator.requestCounts();
    const result = await glacier(args, environment);
    assert.equal(result.status, expectedStatus, `${args.join(' ')}: ${result.stderr}`);
    const tunnels = proxy.tunnels().slice(tunnelsBefore);
    assert.ok(tunnels.length > 0 && tunnels.every((tunnel) => tunnel === target), `${args.join(' ')}: tunnels ${tunnels.join(', ')}`);
    const counts = await emulator.requestCounts();
    for (const operation of operations) {
      assert.ok((counts[operation] ?? 0) > (countsBefore[operation] ?? 0), `${args.join(' ')}: ${operation} reached the emulator`);
    }
    assert.equal(gate.refused(), 0, 'no direct connection');
    return result;
  }

  test('vault create, uploads single and multipart, job start and list, retrieval and inventory: all through the proxy', async () => {
    await throughProxy(['vault', 'create', 'proxied'], ['CreateVault']);
    const small = randomData(1000);
    const big = randomData(2 * MiB + 77);
    const smallFile = join(dir, 'small.bin');
    const bigFile = join(dir, 'big.bin');
    writeFileSync(smallFile, small);
    writeFileSync(bigFile, big);
    await throughProxy(['archive', 'upload', '--name', 'small', 'proxied', smallFile], ['UploadArchive']);
    await throughProxy(['archive', 'upload', '--name', 'big', '--part-size', '1M', 'proxied', bigFile], ['InitiateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload']);
    await throughProxy(['archive', 'retrieve', '-o-', 'proxied', 'big'], ['InitiateJob'], 75);
    const listed = await throughProxy(['job', 'list'], ['ListJobs']);
    assert.match(listed.stdout.toString(), /big/);
    const retrieved = await throughProxy(['archive', 'retrieve', '-o-', '--multipart-size', '1M', 'proxied', 'big'], ['GetJobOutput']);
    assert.equal(sha256Hex(retrieved.stdout), sha256Hex(big));

    const fresh = { ...env, GLACIER_CACHE_DIR: join(dir, 'fresh-cache') };
    await throughProxy(['vault', 'sync', 'proxied'], ['InitiateJob'], 75, fresh);
    await throughProxy(['vault', 'sync', 'proxied'], ['GetJobOutput'], 0, fresh);
    assert.equal((await glacier(['archive', 'list', 'proxied'], fresh)).stdout.toString(), 'big\nsmall\n');
    assert.ok(gate.accepted() > 0);
  });

  test('an https endpoint: a CONNECT tunnel, then TLS to the endpoint inside it, on both HTTP paths', async () => {
    const front: TlsFront = await tlsFront(dir, Number(new URL(emulator.endpoint).port));
    const tlsGate = await proxyOnlyGate(front.port);
    try {
      const secure = withProxies(env, { AWS_ENDPOINT_URL_GLACIER: `https://127.0.0.1:${tlsGate.port}`, HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: front.caFile });
      const target = `127.0.0.1:${tlsGate.port}`;
      const data = randomData(3 * MiB + 5);
      const file = join(dir, 'tls.bin');
      writeFileSync(file, data);
      await throughProxy(['vault', 'create', 'secure'], ['CreateVault'], 0, secure, target);
      await throughProxy(['archive', 'upload', '--name', 'tls', 'secure', file], ['UploadArchive'], 0, secure, target);
      await throughProxy(['archive', 'retrieve', '-o-', 'secure', 'tls'], ['InitiateJob'], 75, secure, target);
      const retrieved = await throughProxy(['archive', 'retrieve', '-o-', '--multipart-size', '1M', 'secure', 'tls'], ['GetJobOutput'], 0, secure, target);
      assert.equal(sha256Hex(retrieved.stdout), sha256Hex(data));
      assert.equal(tlsGate.refused(), 0);
    } finally {
      await tlsGate.close();
      await front.close();
    }
  });

  test('a proxy that asks for credentials: they go as Proxy-Authorization, and are never printed', async () => {
    const guarded = await startTinyproxy(dir, { user: 'alice', password: 'pr0xy-s3cret' });
    try {
      const good = withProxies(env, { HTTP_PROXY: guarded.url, GLACIER_DEBUG: '1' });
      assert.equal((await glacier(['archive', 'retrieve', '-o-', 'proxied', 'small'], good)).status, 75);
      const result = await glacier(['archive', 'retrieve', '-o-', 'proxied', 'small'], good);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout.length, 1000);
      assert.ok(guarded.tunnels().length >= 2, 'the SDK and GetJobOutput each opened a tunnel');
      assert.match(result.stderr, /GetJobOutput attempt 1: GET \S+ -> 20\d .*proxy http:\/\/127\.0\.0\.1:\d+\)/);
      assert.ok(!result.stderr.includes('pr0xy-s3cret') && !result.stderr.includes(Buffer.from('alice:pr0xy-s3cret').toString('base64')));

      const wrong = withProxies(env, { HTTP_PROXY: guarded.url.replace('pr0xy-s3cret', 'wrong-s3cret'), GLACIER_DEBUG: '1' });
      const refused = await glacier(['vault', 'list'], wrong);
      assert.equal(refused.status, 1);
      assert.match(
        refused.stderr,
        /^glacier: cannot reach Glacier at http:\/\/127\.0\.0\.1:\d+ through the proxy http:\/\/127\.0\.0\.1:\d+: the proxy \S+ refused the tunnel: HTTP 40[17] .*check the user and password in the proxy URL\)$/m,
      );
      assert.ok(!refused.stderr.includes('wrong-s3cret'));
    } finally {
      await guarded.stop();
    }
  });

  test('NO_PROXY: a listed host is reached directly', async () => {
    const deadProxy = `http://127.0.0.1:${await closedPort()}`;
    for (const noProxy of ['127.0.0.1', '*', `127.0.0.1:${new URL(emulator.endpoint).port}`]) {
      const direct = withProxies(env, { AWS_ENDPOINT_URL_GLACIER: emulator.endpoint, HTTP_PROXY: deadProxy, NO_PROXY: noProxy });
      const result = await glacier(['archive', 'retrieve', '-o-', 'proxied', 'small'], direct);
      assert.equal(result.status, 0, `NO_PROXY=${noProxy}: ${result.stderr}`);
      assert.equal(result.stdout.length, 1000);
    }
    const elsewhere = withProxies(env, { AWS_ENDPOINT_URL_GLACIER: emulator.endpoint, http_proxy: deadProxy, no_proxy: 'example.org,.example.com' });
    assert.equal((await glacier(['vault', 'list'], elsewhere)).status, 1, 'an unlisted host still goes to the (dead) proxy');
  });

  test('a proxy that is down: a clear failure within seconds, never a direct connection', async () => {
    const deadPort = await closedPort();
    const down = withProxies(env, { AWS_ENDPOINT_URL_GLACIER: emulator.endpoint, HTTP_PROXY: `http://127.0.0.1:${deadPort}`, GLACIER_DEBUG: '1' });
    await emulator.resetRequestCounts();
    const result = await glacier(['vault', 'list'], down);
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `^glacier: cannot reach Glacier at ${emulator.endpoint.replace(/\./g, '\\.')} through the proxy http://127\\.0\\.0\\.1:${deadPort}: connection refused by the proxy http://127\\.0\\.0\\.1:${deadPort}$`,
        'm',
      ),
    );
    assert.equal(result.stderr.match(/debug: ListVaults attempt \d/g)?.length, 3, 'three quick attempts');
    assert.deepEqual(await emulator.requestCounts(), {}, 'nothing reached the endpoint directly');
  });
});

/** `env` without any proxy variable of its own, plus `set`. */
function withProxies(env: NodeJS.ProcessEnv, set: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) if (!PROXY_VARIABLES.includes(name)) result[name] = value;
  return { ...result, ...set };
}
