// One clear line for each refusal AWS can give; never a secret, never a stack.

interface AwsLikeError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function isAwsError(error: unknown): error is AwsLikeError & Error {
  if (!(error instanceof Error)) return false;
  return '$metadata' in error || error.name === 'CredentialsProviderError';
}

/**
 * Whether `error` is AWS's refusal by one of these names (ResourceNotFoundException,
 * NoSuchUpload, ...): the one place that reads an error's name; callers never cast.
 */
export function isAwsErrorNamed(error: unknown, ...names: string[]): boolean {
  return isAwsError(error) && names.includes(error.name);
}

/** The HTTP status of AWS's answer, when there was one. */
export function awsHttpStatus(error: unknown): number | undefined {
  return isAwsError(error) ? error.$metadata?.httpStatusCode : undefined;
}

export function describeAwsError(error: AwsLikeError): string {
  const name = error.name ?? 'Error';
  const message = (error.message ?? '').split('\n')[0]?.trim() ?? '';
  switch (name) {
    case 'NoLongerSupportedException':
      return 'this AWS account cannot use Glacier vaults: since 2025-12-15 the vault service takes no new customers (NoLongerSupportedException); store new data with the S3 Glacier storage classes instead';
    case 'AccessDeniedException':
    case 'AccessDenied':
      return `access denied by AWS: ${message || 'the credentials lack permission for this request'}`;
    case 'ExpiredTokenException':
    case 'ExpiredToken':
    case 'TokenRefreshRequired':
      return 'the AWS credentials have expired; refresh them (a new session token, or aws sso login) and run the command again';
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
    case 'InvalidClientTokenId':
      return `AWS rejected the credentials (${name}): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the profile`;
    case 'CredentialsProviderError':
      return 'no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure a profile (--profile, AWS_PROFILE)';
    case 'InsufficientCapacityException':
      return 'Glacier has no expedited retrieval capacity right now (InsufficientCapacityException); try again later or use --tier standard';
    default: {
      const status = error.$metadata?.httpStatusCode;
      return `${name}${status !== undefined ? ` (HTTP ${status})` : ''}${message !== '' ? `: ${message}` : ''}`;
    }
  }
}
