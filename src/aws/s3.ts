// The one way commands reach S3 (vault migrate): the real @aws-sdk/client-s3 with the same
// credentials, region, profile, proxy, CA bundle, timeouts and retry layer as Glacier, its
// own endpoint (--s3-endpoint-url, else AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else
// AWS's), and the bucket's region followed on redirect.
import { S3Client } from '@aws-sdk/client-s3';
import type { Connection } from './connection.js';
import { credentialProvider } from './credentials.js';
import { requestHandlerFor } from './glacier.js';
import type { Notices } from './notices.js';
import { DEFAULT_RETRY_POLICY, withRetry, type RetrySettings } from './retry.js';

export interface S3 {
  readonly client: S3Client;
  /** client.send under the retry policy. */
  send: S3Client['send'];
  /** Runs `attempt` under the retry policy; `label` names it in messages. */
  withRetries<T>(label: string, attempt: () => Promise<T>): Promise<T>;
  close(): void;
}

/** The S3 endpoint to use (--s3-endpoint-url, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL), or undefined for AWS's own. */
export function s3EndpointUrl(flag: string | undefined): string | undefined {
  const chosen = [flag, process.env.AWS_ENDPOINT_URL_S3, process.env.AWS_ENDPOINT_URL].find((value) => value !== undefined && value.trim() !== '');
  return chosen?.trim();
}

export function openS3(connection: Connection, endpointUrl: string | undefined, notices: Notices): S3 {
  const handler = requestHandlerFor(connection, notices, false);
  const client = new S3Client({
    region: connection.region,
    // A private endpoint (MinIO, Ceph, moto) rarely resolves BUCKET.host names.
    ...(endpointUrl !== undefined ? { endpoint: endpointUrl, forcePathStyle: true } : {}),
    ...(connection.profile !== undefined ? { profile: connection.profile } : {}),
    credentials: credentialProvider(connection),
    followRegionRedirects: true,
    maxAttempts: 1,
    requestHandler: handler,
  });
  const settings: RetrySettings = { policy: DEFAULT_RETRY_POLICY, answered: () => handler.answered, warn: (text) => notices.warn(text) };
  const withRetries = <T>(label: string, attempt: () => Promise<T>): Promise<T> => withRetry(`S3 ${label}`, attempt, settings);
  const send = ((command: Parameters<S3Client['send']>[0]) => withRetries(command.constructor.name.replace(/Command$/, ''), () => client.send(command))) as S3Client['send'];
  return { client, send, withRetries, close: () => client.destroy() };
}
