// The rules an upload applies before reading a byte: sizes, part sizes, the 10,000-part
// limit, names, and the size in a git-annex key.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FailureError, UsageError } from '../src/errors.js';
import { sizeOfAnnexKey } from '../src/upload/annexKeySize.js';
import { archiveNameProblem, checkArchiveName } from '../src/upload/archiveName.js';
import { formatByteSize, parseByteSize } from '../src/byteSize.js';
import { isValidPartSize, MAX_PARTS, planPartSize, tooManyPartsError } from '../src/upload/partSizePlan.js';
import { MiB } from '../src/streams/treeHash.js';

const GiB = 1024 * MiB;

describe('sizes', () => {
  it('parses bytes and binary units', () => {
    assert.equal(parseByteSize('1048576'), MiB);
    assert.equal(parseByteSize('64M'), 64 * MiB);
    assert.equal(parseByteSize('64MiB'), 64 * MiB);
    assert.equal(parseByteSize('64mb'), 64 * MiB);
    assert.equal(parseByteSize('1G'), GiB);
    assert.equal(parseByteSize('1GiB'), GiB);
    assert.equal(parseByteSize('2T'), 2 * 1024 * GiB);
    assert.equal(parseByteSize('512K'), 512 * 1024);
    for (const bad of ['', 'M', '1.5G', '-1M', '64Q', '64 M M', '0x10']) assert.equal(parseByteSize(bad), undefined, bad);
  });

  it('formats sizes the way it parses them', () => {
    assert.equal(formatByteSize(64 * MiB), '64M');
    assert.equal(formatByteSize(4 * GiB), '4G');
    assert.equal(formatByteSize(1.5 * GiB), '1.5G');
    assert.equal(formatByteSize(10), '10');
  });
});

describe('part size plan', () => {
  it('accepts only powers of two from 1 MiB to 4 GiB', () => {
    for (const good of [MiB, 2 * MiB, 64 * MiB, 4 * GiB]) assert.equal(isValidPartSize(good), true, `${good}`);
    for (const bad of [0, MiB - 1, 3 * MiB, 8 * GiB, 512 * 1024, 6 * MiB]) assert.equal(isValidPartSize(bad), false, `${bad}`);
  });

  it('defaults to 16 MiB, doubling until 10,000 parts hold the size', () => {
    assert.equal(planPartSize({ size: 1 }), 16 * MiB);
    assert.equal(planPartSize({ size: 10_000 * 16 * MiB }), 16 * MiB);
    assert.equal(planPartSize({ size: 10_000 * 16 * MiB + 1 }), 32 * MiB);
    assert.equal(planPartSize({ size: 1024 * GiB }), 128 * MiB);
    assert.equal(planPartSize({ size: 10_000 * 4 * GiB }), 4 * GiB);
    assert.throws(() => planPartSize({ size: 10_000 * 4 * GiB + 1 }), UsageError);
  });

  it('covers 625 GiB when the size is unknown', () => {
    assert.equal(planPartSize({}), 64 * MiB);
  });

  it('refuses a chosen part size too small for the expected size, naming the one to use', () => {
    assert.equal(planPartSize({ partSize: MiB, size: 10_000 * MiB }), MiB);
    assert.throws(
      () => planPartSize({ partSize: MiB, size: 10_000 * MiB + 1 }),
      (error: unknown) => error instanceof UsageError && /--part-size 2M\b/.test(error.message),
    );
  });

  it('names a part size that fits when the input runs past part 10,000', () => {
    const error = tooManyPartsError(MiB, MAX_PARTS * MiB);
    assert.ok(error instanceof FailureError);
    assert.equal(error.exitCode, 1);
    assert.match(error.message, /10,000 parts of 1M/);
    assert.match(error.message, /--part-size 2M or larger/);
    assert.match(tooManyPartsError(64 * MiB, MAX_PARTS * 64 * MiB).message, /--part-size 128M or larger/);
  });
});

describe('archive names', () => {
  it('accepts printable ASCII up to 1024 bytes', () => {
    for (const good of ['a', 'SHA256E-s1--abc.txt', 'with space', '~!@#$%^&*()', 'x'.repeat(1024), "it's"]) {
      assert.equal(checkArchiveName(good), good);
    }
  });

  it('refuses what Glacier would not store as given', () => {
    assert.match(archiveNameProblem('') ?? '', /empty/);
    assert.match(archiveNameProblem(' lead') ?? '', /starts with a space/);
    assert.match(archiveNameProblem('x'.repeat(1025)) ?? '', /1025 bytes/);
    assert.match(archiveNameProblem('tab\there') ?? '', /U\+09/);
    assert.match(archiveNameProblem('caf\u00e9') ?? '', /U\+E9/);
    assert.match(archiveNameProblem('del\x7f') ?? '', /U\+7F/);
    assert.throws(() => checkArchiveName('new\nline'), UsageError);
  });
});

describe('git-annex keys', () => {
  it('reads the size field', () => {
    assert.equal(sizeOfAnnexKey('SHA256E-s1234--0123abcd.tar.gz'), 1234);
    assert.equal(sizeOfAnnexKey('WORM-s42-m1700000000--some-file'), 42);
    assert.equal(sizeOfAnnexKey('SHA256-s9-S1048576-C2--abc'), 9);
    assert.equal(sizeOfAnnexKey('URL--http://example.com/x'), undefined);
    assert.equal(sizeOfAnnexKey('backup.tar'), undefined);
    assert.equal(sizeOfAnnexKey('my-s12--file'), undefined);
  });
});
