// The one way commands reach S3 (vault migrate): the real @aws-sdk/client-s3 with the same
// credentials, region and profile as Glacier, its own endpoint (--s3-endpoint-url, else
// AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else AWS's), the bucket's region followed
// on redirect, and every request under our retry policy instead of the SDK's.
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Connection } from './connection.js';
import { credentialProvider } from './credentials.js';
import { withRetry } from './retry.js';

export interface S3 {
  readonly client: S3Client;
  /** client.send with patient retries; `label` names the request in retry messages. */
  send: S3Client['send'];
  close(): void;
}

/** The S3 endpoint to use (--s3-endpoint-url, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL), or undefined for AWS's own. */
export function s3EndpointUrl(flag: string | undefined): string | undefined {
  const chosen = [flag, process.env.AWS_ENDPOINT_URL_S3, process.env.AWS_ENDPOINT_URL].find((value) => value !== undefined && value.trim() !== '');
  return chosen?.trim();
}

export function openS3(connection: Connection, endpointUrl: string | undefined, label = 's3'): S3 {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  const client = new S3Client({
    region: connection.region,
    // A private endpoint (MinIO, Ceph, moto) rarely resolves BUCKET.host names.
    ...(endpointUrl !== undefined ? { endpoint: endpointUrl, forcePathStyle: true } : {}),
    ...(connection.profile !== undefined ? { profile: connection.profile } : {}),
    credentials: credentialProvider(connection),
    followRegionRedirects: true,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 10_000,
      socketTimeout: 120_000,
      httpAgent: new Agent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    }),
  });
  const send = ((command: Parameters<S3Client['send']>[0]) =>
    withRetry(`${label}: ${command.constructor.name.replace(/Command$/, '')}`, () => client.send(command))) as S3Client['send'];
  return { client, send, close: () => client.destroy() };
}
