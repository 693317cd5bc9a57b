// The Glacier operations the emulator serves, by the names fault rules and request
// counts use (the SDK's command names without "Command"; UploadPart is the SDK's
// UploadMultipartPart, accepted under both names). All 33 of API version 2012-06-01.
export const OPERATIONS = [
  'CreateVault',
  'DescribeVault',
  'ListVaults',
  'DeleteVault',
  'UploadArchive',
  'DeleteArchive',
  'InitiateMultipartUpload',
  'UploadPart',
  'ListParts',
  'ListMultipartUploads',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'InitiateJob',
  'DescribeJob',
  'ListJobs',
  'GetJobOutput',
  'SetVaultNotifications',
  'GetVaultNotifications',
  'DeleteVaultNotifications',
  'SetVaultAccessPolicy',
  'GetVaultAccessPolicy',
  'DeleteVaultAccessPolicy',
  'InitiateVaultLock',
  'GetVaultLock',
  'CompleteVaultLock',
  'AbortVaultLock',
  'AddTagsToVault',
  'ListTagsForVault',
  'RemoveTagsFromVault',
  'GetDataRetrievalPolicy',
  'SetDataRetrievalPolicy',
  'PurchaseProvisionedCapacity',
  'ListProvisionedCapacity',
] as const;

export type Operation = (typeof OPERATIONS)[number];

export function operationNamed(name: string): Operation | undefined {
  if (name === 'UploadMultipartPart') return 'UploadPart';
  return (OPERATIONS as readonly string[]).includes(name) ? (name as Operation) : undefined;
}
