// Vault subresources: notification configuration, access policy and tags
// (SetVaultNotifications ... RemoveTagsFromVault of the API reference).
import { GlacierError, invalidParameter, missingParameter, notFound } from '../errors.js';
import { parseJsonBody, sendEmpty, sendJson } from '../http.js';
import { parsePolicy } from '../policy.js';
import type { GlacierRequest } from '../request.js';
import type { Vault } from '../store/vaults.js';

const NOTIFICATION_EVENTS = ['ArchiveRetrievalCompleted', 'InventoryRetrievalCompleted'];
const SNS_TOPIC = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const MAX_TAGS = 50;

async function requestVault(request: GlacierRequest): Promise<Vault> {
  return request.ctx.vaults.get(request.region, request.vaultName);
}

export async function setVaultNotifications(request: GlacierRequest): Promise<void> {
  const vault = await requestVault(request);
  const body = parseJsonBody(request.body);
  const topic = body['SNSTopic'];
  const events = body['Events'];
  if (topic === undefined || events === undefined) throw missingParameter('Required parameter is missing: SNSTopic and Events');
  if (typeof topic !== 'string' || !SNS_TOPIC.test(topic)) throw invalidParameter(`Invalid SNSTopic: ${JSON.stringify(topic)}. It must be an Amazon SNS topic ARN`);
  if (!Array.isArray(events) || events.length === 0 || !events.every((event) => typeof event === 'string' && NOTIFICATION_EVENTS.includes(event))) {
    throw invalidParameter(`Invalid Events: ${JSON.stringify(events)}. Valid events are ${NOTIFICATION_EVENTS.join(', ')}`);
  }
  const unique = [...new Set(events as string[])];
  await vault.updateSettings((settings) => {
    settings.notifications = { SNSTopic: topic, Events: unique };
  });
  sendEmpty(request.res, 204);
}

export async function getVaultNotifications(request: GlacierRequest): Promise<void> {
  const vault = await requestVault(request);
  const config = vault.settings.notifications;
  if (config === undefined) throw notFound(`No notification configuration is set for the vault: ${vault.arn}`);
  sendJson(request.res, 200, config);
}

export async function deleteVaultNotifications(request: GlacierRequest): Promise<void> {
  const vault = await requestVault(request);
  await vault.updateSettings((settings) => {
    delete settings.notifications;
  });
  sendEmpty(request.res, 204);
}

export async function setVaultAccessPolicy(request: GlacierRequest): Promise<void> {
  const vault = await requestVault(request);
  const policy = parseJsonBody(request.body)['Policy'];
  parsePolicy(policy);
  await vault.updateSettings((settings) => {
    settings.accessPolicy = policy as string;
  });
  sendEmpty(request.res, 204);
}

export async function getVaultAccessPolicy(request: GlacierRequest): Promise<void> {
  const vault = await requestVault(request);
  const policy = vault.settings.accessPolicy;
  if (policy === undefined) throw notFound(`No policy is set for the vault: ${vault.arn}`);
  sendJson(request.res, 200, { Policy: policy });
}

export async function deleteVaultAccessPolicy(request: GlacierRequest): Promise<void> {
  const vault = await requestVault(request);
  await vault.updateSettings((settings) => {
    delete settings.accessPolicy;
  });
  sendEmpty(request.res, 204);
}

/** Tag keys: 1-128 characters, not starting with "aws:"; values: 0-256 characters. */
function checkTag(key: string, value: unknown): string {
  if (key.length < 1 || key.length > 128) throw invalidParameter(`Invalid tag key: ${key}. Tag keys are 1 to 128 characters long`);
  if (key.toLowerCase().startsWith('aws:')) throw invalidParameter(`Invalid tag key: ${key}. The prefix aws: is reserved`);
  if (typeof value !== 'string') throw invalidParameter(`Invalid value for tag ${key}: it must be a string`);
  if (value.length > 256) throw invalidParameter(`Invalid value for tag ${key}: tag values are up to 256 characters long`);
  return value;
}

export async function addTagsToVault(request: GlacierRequest): Promise<void> {
  const vault = await requestVault(request);
  const tags = parseJsonBody(request.body)['Tags'] ?? {};
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) throw invalidParameter('Invalid Tags: a map of keys to values is expected');
  const added = Object.entries(tags as Record<string, unknown>).map(([key, value]) => [key, checkTag(key, value)] as const);
  await vault.updateSettings((settings) => {
    const merged = { ...settings.tags, ...Object.fromEntries(added) };
    if (Object.keys(merged).length > MAX_TAGS) {
      throw new GlacierError(400, 'LimitExceededException', `The request would give the vault more than ${MAX_TAGS} tags`);
    }
    settings.tags = merged;
  });
  sendEmpty(request.res, 204);
}

export async function listTagsForVault(request: GlacierRequest): Promise<void> {
  const vault = await requestVault(request);
  sendJson(request.res, 200, { Tags: vault.settings.tags ?? {} });
}

export async function removeTagsFromVault(request: GlacierRequest): Promise<void> {
  const vault = await requestVault(request);
  const keys = parseJsonBody(request.body)['TagKeys'] ?? [];
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string')) throw invalidParameter('Invalid TagKeys: a list of tag keys is expected');
  await vault.updateSettings((settings) => {
    const remaining = { ...settings.tags };
    for (const key of keys) delete remaining[key];
    settings.tags = remaining;
  });
  sendEmpty(request.res, 204);
}
