// The admin endpoint cannot be driven by a web page through a browser: a cross-origin
// "simple" POST (text/plain) and a request for another Host (DNS rebinding) are refused.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { useEmulator } from './helpers/emulatorFixture.js';

const emulator = useEmulator();

function send(method: string, path: string, headers: Record<string, string>, body = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${emulator.endpoint}/_emulator/${path}`, { method, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

test('a text/plain POST is refused and changes nothing', async () => {
  const status = await send('POST', 'faults', { 'Content-Type': 'text/plain' }, JSON.stringify({ spec: '*:500' }));
  assert.equal(status, 415);
  const faults = JSON.parse((await emulator.admin('GET', 'faults')).body.toString()) as { faults: unknown[] };
  assert.deepEqual(faults.faults, []);
});

test('a POST without a content type is refused', async () => {
  assert.equal(await send('POST', 'clock', {}, JSON.stringify({ advanceSeconds: 86400 })), 415);
});

test('a request for a Host that is not loopback is refused, even a GET', async () => {
  assert.equal(await send('GET', 'requests', { Host: 'attacker.example' }), 403);
  assert.equal(await send('DELETE', 'faults', { Host: 'rebound.attacker.example:8080', 'Content-Type': 'application/json' }), 403);
});

test('loopback JSON requests still work', async () => {
  assert.equal(await send('POST', 'faults', { 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify({ spec: 'UploadPart:500:count=1' })), 200);
  assert.equal(await send('DELETE', 'faults', { 'Content-Type': 'application/json' }), 200);
  assert.equal(await send('GET', 'clock', { Host: `localhost:${new URL(emulator.endpoint).port}` }), 200);
});
