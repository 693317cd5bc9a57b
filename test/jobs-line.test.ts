// The job list line format on its own, for the cases the emulator cannot produce.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jobLine } from '../src/jobs/jobLine.js';

test('an action or status Glacier may add later prints as ? without crashing', () => {
  assert.equal(
    jobLine('v', { Action: 'Select', StatusCode: 'Paused' as 'InProgress', CreationDate: '2026-01-02T03:04:05.678Z' }, undefined),
    '?/? 2026-01-02T03:04:05.678Z v          ',
  );
  assert.equal(jobLine('v', { StatusCode: 'Succeeded', CompletionDate: 'D', ArchiveId: 'AID' }, undefined), '?/d D v          id:AID');
});

test('the completion date wins over the creation date; an empty cached name shows the id', () => {
  const job = { Action: 'ArchiveRetrieval' as const, StatusCode: 'Failed' as const, CreationDate: 'C', CompletionDate: 'D', ArchiveId: 'X' };
  assert.equal(jobLine('vault', job, ''), 'a/e D vault      id:X');
  assert.equal(jobLine('exactly-10', job, 'name with spaces'), 'a/e D exactly-10 name with spaces');
});
