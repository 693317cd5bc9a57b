// Temporary folders for tests: one per test file (removed after its tests), or one per call
// (removed when the test process exits). Either way a run of the suite leaves nothing behind.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

const madeThisProcess = new Set<string>();
let removalOnExitInstalled = false;

/** A new empty folder under the system's temporary folder, named PREFIX and a random tail; removed when the process exits. */
export function makeScratchDir(prefix: string): string {
  const path = mkdtempSync(join(tmpdir(), prefix));
  madeThisProcess.add(path);
  if (!removalOnExitInstalled) {
    removalOnExitInstalled = true;
    process.once('exit', () => {
      for (const made of madeThisProcess) {
        try {
          removeScratchDir(made);
        } catch (error) {
          process.stderr.write(`could not remove the test folder ${made}: ${String(error)}\n`);
        }
      }
    });
  }
  return path;
}

/** Removes PATH and everything in it, including folders a test (or git-annex) made read-only. */
export function removeScratchDir(path: string): void {
  madeThisProcess.delete(path);
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    makeWritable(path);
    rmSync(path, { recursive: true, force: true });
  }
}

function makeWritable(path: string): void {
  try {
    chmodSync(path, 0o700);
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) makeWritable(join(path, entry.name));
    }
  } catch {
    // Gone already, or not ours to change: rmSync reports what is left.
  }
}

export interface ScratchDir {
  /** The folder; there from the tests' `before` on. */
  readonly path: string;
}

/** A folder made before the tests of the file (or suite) that calls this, removed after them. */
export function useScratchDir(prefix: string): ScratchDir {
  let path: string | undefined;
  before(() => {
    path = makeScratchDir(prefix);
  });
  after(() => {
    if (path !== undefined) removeScratchDir(path);
  });
  return {
    get path(): string {
      if (path === undefined) throw new Error('the scratch folder is made in before(): read it from a test');
      return path;
    },
  };
}
