// Vault Lock (InitiateVaultLock, GetVaultLock, CompleteVaultLock, AbortVaultLock): a lock
// policy is InProgress for 24 hours of the emulator's clock, during which it is already
// enforced; CompleteVaultLock with its lock id makes it Locked, for good.
import { isoDate } from '../clock.js';
import { GlacierError, invalidParameter, notFound } from '../errors.js';
import { parseJsonBody, sendEmpty, sendJson } from '../http.js';
import { randomId } from '../ids.js';
import { parsePolicy } from '../policy.js';
import type { GlacierRequest } from '../request.js';
import type { Vault, VaultLock } from '../store/vaults.js';

const IN_PROGRESS_MS = 24 * 3600 * 1000;

/** The vault's lock as of `now`: an InProgress lock older than 24 hours has lapsed. */
export function currentLock(vault: Vault, now: number): VaultLock | undefined {
  const lock = vault.settings.lock;
  if (lock === undefined || (lock.state === 'InProgress' && now >= lock.creationDate + IN_PROGRESS_MS)) return undefined;
  return lock;
}

function accessDenied(message: string): GlacierError {
  return new GlacierError(403, 'AccessDeniedException', message);
}

export async function initiateVaultLock(request: GlacierRequest): Promise<void> {
  const { ctx } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const policy = parseJsonBody(request.body)['Policy'];
  parsePolicy(policy);
  const now = ctx.clock.now();
  const lockId = randomId(24);
  await vault.updateSettings((settings) => {
    const existing = currentLock(vault, now);
    if (existing?.state === 'Locked') throw accessDenied(`The vault lock of ${vault.arn} is Locked; it cannot be replaced`);
    if (existing?.state === 'InProgress') throw accessDenied(`A vault lock is in progress for ${vault.arn}; abort it first`);
    settings.lock = { policy: policy as string, lockId, state: 'InProgress', creationDate: now };
  });
  sendEmpty(request.res, 201, { 'x-amz-lock-id': lockId });
}

export async function getVaultLock(request: GlacierRequest): Promise<void> {
  const { ctx } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const lock = currentLock(vault, ctx.clock.now());
  if (lock === undefined) throw notFound(`No vault lock policy is set for the vault: ${vault.arn}`);
  sendJson(request.res, 200, {
    Policy: lock.policy,
    State: lock.state,
    ExpirationDate: lock.state === 'InProgress' ? isoDate(lock.creationDate + IN_PROGRESS_MS) : null,
    CreationDate: isoDate(lock.creationDate),
  });
}

export async function completeVaultLock(request: GlacierRequest): Promise<void> {
  const { ctx } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const now = ctx.clock.now();
  await vault.updateSettings((settings) => {
    const lock = currentLock(vault, now);
    if (lock === undefined) throw invalidParameter(`No vault lock is in progress for ${vault.arn}: the lock ID is not valid`);
    if (lock.lockId !== request.resourceId) {
      if (lock.state === 'Locked') throw accessDenied(`The lock ID is not valid for the Locked vault lock of ${vault.arn}`);
      throw invalidParameter(`The lock ID is not valid: ${request.resourceId}`);
    }
    settings.lock = { ...lock, state: 'Locked' };
  });
  sendEmpty(request.res, 204);
}

export async function abortVaultLock(request: GlacierRequest): Promise<void> {
  const { ctx } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const now = ctx.clock.now();
  await vault.updateSettings((settings) => {
    if (currentLock(vault, now)?.state === 'Locked') throw accessDenied(`The vault lock of ${vault.arn} is Locked; it cannot be aborted`);
    delete settings.lock;
  });
  sendEmpty(request.res, 204);
}
