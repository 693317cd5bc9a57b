import assert from 'node:assert/strict';

/** The promise rejects with an AWS error of this name (code) and HTTP status. */
export async function rejectsWithAwsError(promise: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name, error.message);
    assert.equal(error.$metadata?.httpStatusCode, status);
    if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}
