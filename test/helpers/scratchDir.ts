// Temporary folders for tests: one per test file (removed after its tests), or one per call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

/** A new empty folder under the system's temporary folder, named PREFIX and a random tail. */
export function makeScratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
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
    if (path !== undefined) rmSync(path, { recursive: true, force: true });
  });
  return {
    get path(): string {
      if (path === undefined) throw new Error('the scratch folder is made in before(): read it from a test');
      return path;
    },
  };
}
