// The one way commands reach Glacier: the real @aws-sdk/client-glacier, configured so
// that (a) it never hashes a body we already hashed while reading it (GLACIER-NOTES.md,
// "@aws-sdk/client-glacier"), and (b) every request goes through our retry policy.
// Import this module only from commands that talk to the network: loading the SDK costs
// about 50 ms.
import { GlacierClient } from '@aws-sdk/client-glacier';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { TreeHasher } from '../streams/treeHash.js';
import type { Connection } from './connection.js';
import { credentialProvider } from './credentials.js';
import { GlacierRequestHandler } from './http/glacierRequestHandler.js';
import { withRetry } from './retry.js';

export interface BodyHashes {
  /** Plain SHA-256 of the body, hex (x-amz-content-sha256). */
  sha256: string;
  /** SHA-256 tree hash of the body, hex (x-amz-sha256-tree-hash). */
  treeHash: string;
}

const knownBodyHashes = new WeakMap<object, BodyHashes>();

/**
 * Declare the hashes of a request body computed while it was read, so the SDK sends
 * them instead of hashing the body again. The body must be sent as this very Buffer.
 */
export function declareBodyHashes(body: Buffer, hashes: BodyHashes): Buffer {
  knownBodyHashes.set(body, hashes);
  return body;
}

async function bodyChecksums(request: { body?: unknown }): Promise<[string, string]> {
  const body = request.body;
  if (typeof body === 'object' && body !== null) {
    const known = knownBodyHashes.get(body);
    if (known !== undefined) return [known.sha256, known.treeHash];
  }
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const hasher = new TreeHasher({ plain: true }).update(typeof body === 'string' ? Buffer.from(body) : body);
    const treeHash = hasher.digest().toString('hex');
    return [hasher.plainDigest().toString('hex'), treeHash];
  }
  throw new Error('request bodies must be Buffers whose hashes were declared with declareBodyHashes');
}

export interface Glacier {
  readonly client: GlacierClient;
  readonly region: string;
  /** client.send with patient retries; `label` names the request in retry messages. */
  send: GlacierClient['send'];
  close(): void;
}

export function openGlacier(connection: Connection, label = 'glacier'): Glacier {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  const timeouts = { connectMs: 10_000, idleMs: 120_000 };
  const general = new NodeHttpHandler({
    connectionTimeout: timeouts.connectMs,
    // Idle socket: a part upload or a segment download that stalls this long is retried.
    socketTimeout: timeouts.idleMs,
    httpAgent: new Agent(agentOptions),
    httpsAgent: new HttpsAgent(agentOptions),
  });
  const client = new GlacierClient({
    region: connection.region,
    ...(connection.endpointUrl !== undefined ? { endpoint: connection.endpointUrl } : {}),
    ...(connection.profile !== undefined ? { profile: connection.profile } : {}),
    credentials: credentialProvider(connection),
    maxAttempts: 1,
    bodyChecksumGenerator: bodyChecksums,
    requestHandler: new GlacierRequestHandler(general, timeouts),
  });
  const send = ((command: Parameters<GlacierClient['send']>[0]) =>
    withRetry(`${label}: ${command.constructor.name.replace(/Command$/, '')}`, () =>
      client.send(command),
    )) as GlacierClient['send'];
  return { client, region: connection.region, send, close: () => client.destroy() };
}
