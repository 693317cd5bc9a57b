// The one way commands reach Glacier: the real @aws-sdk/client-glacier, configured so
// that (a) it never hashes a body we already hashed while reading it (the SDK would read
// every part twice otherwise), (b) every request goes through the one retry layer
// (retry.ts), and (c) both of its HTTP roads (http/awsRequestHandler.ts) honour the
// proxy environment and the extra CA bundle.
// Import this module only from commands that talk to the network: loading the SDK costs
// about 50 ms.
import { GlacierClient } from '@aws-sdk/client-glacier';
import { TreeHasher } from '../streams/treeHash.js';
import type { Connection } from './connection.js';
import { credentialProvider } from './credentials.js';
import { currentOperation } from './http/exchangeLog.js';
import { AwsRequestHandler } from './http/awsRequestHandler.js';
import { caBundle, secureContextWith } from './http/route.js';
import type { Notices } from './notices.js';
import { Attempts, DEFAULT_RETRY_POLICY, withRetry, type RetrySettings } from './retry.js';

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
  /** client.send under the retry policy of the operation. */
  send: GlacierClient['send'];
  /**
   * Runs `attempt` (a request and the reading of its answer) under the retry policy; a body
   * that fails part-way is one more attempt of the same budget. `label` names it in messages.
   */
  withRetries<T>(label: string, attempt: () => Promise<T>): Promise<T>;
  /** The attempts of a request that is sent again from where it stopped (a resumed download). */
  attempts(label: string): Attempts;
  close(): void;
}

/** Seconds a response may go without progress (GLACIER_IDLE_TIMEOUT, default 120). */
function idleTimeoutMs(): number {
  const seconds = Number(process.env.GLACIER_IDLE_TIMEOUT ?? '');
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 120_000;
}

/** The slowest answer that still counts as progress: 1 KiB/s over the idle timeout. */
const FLOOR_BYTES_PER_SECOND = 1024;

/**
 * The SDK request handler of every AWS client here: the proxy and CA bundle in effect, the
 * timeouts, --debug lines; GetJobOutput's own connections only for Glacier.
 */
export function requestHandlerFor(connection: Connection, notices: Notices, jobOutputConnections: boolean): AwsRequestHandler {
  // Connecting gets 8 s: three quick attempts at an endpoint that never answers stay within 30 s.
  const timeouts = { connectMs: 8_000, idleMs: idleTimeoutMs(), floorBytesPerSecond: FLOOR_BYTES_PER_SECOND };
  const bundle = caBundle(connection.profile);
  return new AwsRequestHandler({
    timeouts,
    secureContext: bundle === undefined ? undefined : secureContextWith(bundle),
    debug: (line) => notices.debug(line),
    jobOutputConnections,
  });
}

export function openGlacier(connection: Connection, notices: Notices): Glacier {
  const handler = requestHandlerFor(connection, notices, true);
  const client = new GlacierClient({
    region: connection.region,
    ...(connection.endpointUrl !== undefined ? { endpoint: connection.endpointUrl } : {}),
    ...(connection.profile !== undefined ? { profile: connection.profile } : {}),
    credentials: credentialProvider(connection),
    maxAttempts: 1,
    bodyChecksumGenerator: bodyChecksums,
    requestHandler: handler,
  });
  client.middlewareStack.add((next, context) => (args) => currentOperation.run(context.commandName?.replace(/Command$/, '') ?? 'request', () => next(args)), {
    step: 'initialize',
    name: 'glacierCliOperationName',
  });
  const settings: RetrySettings = { policy: DEFAULT_RETRY_POLICY, answered: () => handler.answered, warn: (text) => notices.warn(text) };
  const withRetries = <T>(label: string, attempt: () => Promise<T>): Promise<T> => withRetry(label, attempt, settings);
  const send = ((command: Parameters<GlacierClient['send']>[0]) =>
    withRetries(command.constructor.name.replace(/Command$/, ''), () => client.send(command))) as GlacierClient['send'];
  return {
    client,
    region: connection.region,
    send,
    withRetries,
    attempts: (label) => new Attempts(label, settings),
    close: () => client.destroy(),
  };
}
