// Where and as whom to talk to Glacier, resolved without loading the AWS SDK so that
// commands answered from the cache stay fast. The rules are
// those of boto, boto3 and the AWS CLI: keys in the environment win over AWS_PROFILE
// (git-annex hands its keys over that way); an explicit --profile wins over both; the
// profile in effect gives the region and the endpoint unless something closer does.
import { profileCredentialSetting, profileServiceSetting, profileSetting } from './sharedConfig.js';

export interface Connection {
  region: string;
  /** The endpoint in effect, when anything names one; otherwise the SDK's default for the region. */
  endpointUrl?: string;
  /** The profile in effect (--profile, else AWS_PROFILE). */
  profile?: string;
  /** Whether the credentials are the environment's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (unset: as far as can be told from the key id alone). */
  credentialsFromEnvironment?: boolean;
}

export const DEFAULT_REGION = 'us-east-1';

/** The service's name in a `[services NAME]` section and in AWS_ENDPOINT_URL_<NAME>. */
const SERVICE_ID = 'glacier';

export function resolveConnection(flags: { region?: string; endpointUrl?: string; profile?: string }): Connection {
  const explicitProfile = nonEmpty(flags.profile);
  const profile = explicitProfile ?? nonEmpty(process.env.AWS_PROFILE);
  const configProfile = profile ?? 'default';
  const region =
    nonEmpty(flags.region) ?? nonEmpty(process.env.AWS_REGION) ?? nonEmpty(process.env.AWS_DEFAULT_REGION) ?? nonEmpty(profileSetting(configProfile, 'region')) ?? DEFAULT_REGION;
  const connection: Connection = { region };
  const endpointUrl = nonEmpty(flags.endpointUrl) ?? configuredEndpoint(configProfile);
  if (endpointUrl !== undefined) connection.endpointUrl = endpointUrl;
  if (profile !== undefined) connection.profile = profile;
  connection.credentialsFromEnvironment = explicitProfile === undefined && environmentHasKeys();
  return connection;
}

/** AWS_ENDPOINT_URL_GLACIER, AWS_ENDPOINT_URL, then the profile's services section and endpoint_url. */
function configuredEndpoint(profile: string): string | undefined {
  const ignore = nonEmpty(process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) ?? profileSetting(profile, 'ignore_configured_endpoint_urls');
  if (ignore?.toLowerCase() === 'true') return undefined;
  return (
    nonEmpty(process.env[`AWS_ENDPOINT_URL_${SERVICE_ID.toUpperCase()}`]) ??
    nonEmpty(process.env.AWS_ENDPOINT_URL) ??
    nonEmpty(profileServiceSetting(profile, SERVICE_ID, 'endpoint_url')) ??
    nonEmpty(profileSetting(profile, 'endpoint_url'))
  );
}

function environmentHasKeys(): boolean {
  return nonEmpty(process.env.AWS_ACCESS_KEY_ID) !== undefined && nonEmpty(process.env.AWS_SECRET_ACCESS_KEY) !== undefined;
}

/** Whether the environment's keys are the credentials (the --profile flag not given). */
export function usesEnvironmentKeys(connection: Connection): boolean {
  return connection.credentialsFromEnvironment ?? (connection.profile === undefined && nonEmpty(process.env.AWS_ACCESS_KEY_ID) !== undefined);
}

/**
 * Who the credentials belong to, as far as can be told without a request: the access key
 * id from the environment, else the profile. The cache maps this to an account id once.
 */
export function credentialIdentity(connection: Connection): string {
  if (usesEnvironmentKeys(connection)) return `key:${process.env.AWS_ACCESS_KEY_ID?.trim()}`;
  return `profile:${connection.profile ?? 'default'}`;
}

/**
 * The access key id the requests are signed with, when it can be known without a request:
 * the environment's, or a profile's static key. Undefined for SSO, roles and processes.
 */
export function accessKeyIdInUse(connection: Connection): string | undefined {
  if (usesEnvironmentKeys(connection)) return nonEmpty(process.env.AWS_ACCESS_KEY_ID);
  const profile = connection.profile ?? 'default';
  if (profileSetting(profile, 'role_arn') !== undefined) return undefined;
  return nonEmpty(profileCredentialSetting(profile, 'aws_access_key_id'));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
