// The credentials the client signs with, by the rules resolveConnection decided, and a
// failure to get them told by its cause: an SSO profile needs `aws sso login`, a
// credential_process says what went wrong, a missing profile is named. The SDK's own
// warnings (two credential sources at once) never reach stderr. No message holds a secret.
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { FailureError } from '../errors.js';
import { usesEnvironmentKeys, type Connection } from './connection.js';
import { profileCredentialSetting, profileExists, profileSetting } from './sharedConfig.js';

const silentLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export function credentialProvider(connection: Connection): AwsCredentialIdentityProvider {
  if (usesEnvironmentKeys(connection)) return async () => environmentCredentials();
  const profile = connection.profile ?? 'default';
  // A profile that names its credentials gives them or fails with its own cause; otherwise
  // the whole chain is tried (the profile, a container, an instance role).
  const chain = namesCredentials(profile) ? fromIni({ profile, logger: silentLogger }) : defaultProvider({ profile, logger: silentLogger });
  return async (options) => {
    try {
      return await chain(options);
    } catch (failure) {
      throw new FailureError(credentialFailure(profile, connection.profile !== undefined, failure));
    }
  };
}

const CREDENTIAL_SETTINGS = ['aws_access_key_id', 'role_arn', 'sso_session', 'sso_start_url', 'credential_process', 'web_identity_token_file'];

function namesCredentials(profile: string): boolean {
  return CREDENTIAL_SETTINGS.some((key) => profileCredentialSetting(profile, key) !== undefined);
}

function environmentCredentials(): AwsCredentialIdentity {
  const sessionToken = process.env.AWS_SESSION_TOKEN?.trim();
  return {
    accessKeyId: (process.env.AWS_ACCESS_KEY_ID ?? '').trim(),
    secretAccessKey: (process.env.AWS_SECRET_ACCESS_KEY ?? '').trim(),
    ...(sessionToken !== undefined && sessionToken !== '' ? { sessionToken } : {}),
  };
}

/** One line naming why the profile gave no credentials. */
export function credentialFailure(profile: string, named: boolean, failure: unknown): string {
  const quoted = `'${profile}'`;
  if (named && !profileExists(profile)) {
    return `AWS profile ${quoted} is not in the AWS config or credentials file`;
  }
  if (profileSetting(profile, 'sso_session') !== undefined || profileSetting(profile, 'sso_start_url') !== undefined) {
    const cause = firstLine(failure);
    if (cause === '' || /token|session|expired|login|refresh/i.test(cause)) {
      return `AWS profile ${quoted} signs in with SSO and has no valid token: run 'aws sso login --profile ${profile}', then try again`;
    }
    return `AWS profile ${quoted} signs in with SSO, which gave no credentials: ${cause}`;
  }
  const command = profileCredentialSetting(profile, 'credential_process');
  if (command !== undefined) {
    return `the credential_process of AWS profile ${quoted} failed: ${processFailure(failure, command)}`;
  }
  if (!profileExists(profile)) {
    return 'no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure a profile (--profile, AWS_PROFILE)';
  }
  const cause = firstLine(failure);
  return `AWS profile ${quoted} gives no credentials${cause !== '' ? ` (${cause})` : ''}`;
}

/**
 * What a credential process said: the last line it wrote to stderr, else the SDK's own
 * account of it. The command line itself is left out (it may carry a secret).
 */
function processFailure(failure: unknown, command: string): string {
  const message = failure instanceof Error ? failure.message : String(failure);
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const said = lines.filter((line) => !line.startsWith('Command failed:') && !line.includes(command));
  const last = said.at(-1);
  if (last !== undefined) return last;
  return /Command failed/.test(message) ? 'it exited with an error and printed nothing' : 'it gave no credentials';
}

function firstLine(failure: unknown): string {
  const message = failure instanceof Error ? failure.message : String(failure);
  return (message.split('\n')[0] ?? '').trim();
}
