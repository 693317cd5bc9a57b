// glacier-upload / glacier archive upload through the real executables against the
// emulator: what goes in is what Glacier holds, stdout stays empty, bad input is refused
// before any request, faults are retried, and a server-side mismatch is a failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { treeHashOf } from '../src/streams/treeHash.js';
import { useEmulator } from './helpers/emulatorFixture.js';
import { binPath, runCli } from './helpers/runCli.js';
import { assertOk, MiB, stderrLines, uploadFixture } from './helpers/uploadFixtures.js';
import { randomData } from './helpers/randomData.js';

const emulator = useEmulator({ jobDelay: 0 });

/** The archive Glacier holds under `id` is exactly `data`, with the matching tree hash. */
async function assertStored(vault: string, id: string, data: Buffer, name: string): Promise<void> {
  assert.deepEqual(await emulator.archiveBytes(vault, id), data);
  const listed = (await emulator.listArchives(vault)).find((archive) => archive.ArchiveId === id);
  assert.ok(listed, `archive ${id} not listed`);
  assert.equal(listed.ArchiveDescription, name);
  assert.equal(listed.Size, data.length);
  assert.equal(listed.SHA256TreeHash, treeHashOf(data).toString('hex'));
}

async function cachedNames(env: NodeJS.ProcessEnv, vault: string): Promise<string[]> {
  const listed = await runCli('glacier', ['archive', 'list', vault], { env });
  assertOk(listed);
  return listed.stdout
    .toString()
    .split('\n')
    .filter((line) => line !== '');
}

async function onlyArchiveId(vault: string): Promise<string> {
  const archives = await emulator.listArchives(vault);
  assert.equal(archives.length, 1, JSON.stringify(archives));
  return (archives[0] as { ArchiveId: string }).ArchiveId;
}

describe('upload: bad input is refused before any request (exit 2)', () => {
  it('gives one line on stderr, nothing on stdout, and makes no request', async () => {
    const fixture = await uploadFixture(emulator);
    const file = fixture.file('data', randomData(10));
    const empty = fixture.file('empty', Buffer.alloc(0));
    const folder = join(fixture.dir, 'folder');
    mkdirSync(folder);
    const cases: [string[], RegExp][] = [
      [[fixture.vault], /missing FILE/],
      [[fixture.vault, join(fixture.dir, 'missing')], /cannot read '.*missing': no such file/],
      [[fixture.vault, folder], /is a directory/],
      [[fixture.vault, empty], /is empty: Glacier cannot store an empty archive/],
      [[fixture.vault, '-'], /--name is required when the input is stdin/],
      [['--name', ' lead', fixture.vault, file], /starts with a space/],
      [['--name', 'caf\u00e9', fixture.vault, file], /printable ASCII/],
      [['--name', 'x'.repeat(1025), fixture.vault, file], /at most 1024/],
      [['--name=', fixture.vault, file], /empty/],
      [['--part-size', '3M', fixture.vault, file], /--part-size must be a power of two from 1M to 4G.*'3M'/],
      [['--part-size', '512K', fixture.vault, file], /power of two/],
      [['--part-size', '8G', fixture.vault, file], /power of two/],
      [['--part-size', 'big', fixture.vault, file], /--part-size takes a size/],
      [['--part-size=1M', '--expected-size=20G', '--name', 'x', fixture.vault, '-'], /does not fit in 10,000 parts of 1M; use --part-size 4M/],
      [['--concurrency', '0', fixture.vault, file], /--concurrency/],
      [['--bogus', fixture.vault, file], /unknown option '--bogus'/],
      [['bad/vault', file], /invalid vault name 'bad\/vault'/],
      [[fixture.vault, file, 'extra'], /unexpected argument 'extra'/],
    ];
    await emulator.resetRequestCounts();
    for (const [args, message] of cases) {
      for (const [program, prefix] of [
        ['glacier-upload', []],
        ['glacier', ['archive', 'upload']],
      ] as const) {
        const result = await runCli(program, [...prefix, ...args], { env: fixture.env, input: randomData(100) });
        const label = `${program} ${args.join(' ')}`;
        assert.equal(result.status, 2, `${label}: ${result.stderr}`);
        assert.equal(result.stdout.length, 0, label);
        const lines = stderrLines(result.stderr);
        assert.equal(lines.length, 1, `${label}: ${result.stderr}`);
        assert.match(lines[0] as string, /^glacier: /, label);
        assert.match(lines[0] as string, message, label);
      }
    }
    assert.deepEqual(await emulator.requestCounts(), {});
  });

  it('refuses empty stdin at its end, before any request', async () => {
    const fixture = await uploadFixture(emulator);
    await emulator.resetRequestCounts();
    const result = await runCli('glacier', ['--region=us-east-1', 'archive', 'upload', '--name', 'KEY', fixture.vault, '-'], {
      env: fixture.env,
      input: Buffer.alloc(0),
    });
    assert.equal(result.status, 2, result.stderr);
    assert.equal(result.stdout.length, 0);
    assert.deepEqual(stderrLines(result.stderr), ['glacier: the input is empty: Glacier cannot store an empty archive']);
    assert.deepEqual(await emulator.requestCounts(), {});
  });
});

describe('upload: one request for input within the first part', () => {
  it('stores a 1-byte file under its base name; --print-id prints exactly the id', async () => {
    const fixture = await uploadFixture(emulator);
    const data = randomData(1);
    const file = fixture.file('one byte.bin', data);
    await emulator.resetRequestCounts();
    const result = await runCli('glacier-upload', ['--print-id', fixture.vault, file], { env: fixture.env });
    assertOk(result);
    assert.equal(result.stderr, '');
    const id = await onlyArchiveId(fixture.vault);
    assert.equal(result.stdout.toString(), `${id}\n`);
    await assertStored(fixture.vault, id, data, 'one byte.bin');
    const counts = await emulator.requestCounts();
    assert.equal(counts.UploadArchive, 1);
    assert.equal(counts.UploadPart, undefined);
    assert.deepEqual(await cachedNames(fixture.env, fixture.vault), ['one byte.bin']);
  });

  it('sends stdin of exactly one part in one request, git-annex style, printing nothing', async () => {
    const fixture = await uploadFixture(emulator);
    const data = randomData(MiB);
    await emulator.resetRequestCounts();
    const key = `SHA256E-s${MiB}--0123456789abcdef.bin`;
    const result = await runCli('glacier', ['--region=us-east-1', 'archive', 'upload', '--part-size', '1M', '--name', key, fixture.vault, '-'], {
      env: fixture.env,
      input: data,
    });
    assertOk(result);
    assert.equal(result.stdout.length, 0);
    assert.equal(result.stderr, '');
    await assertStored(fixture.vault, await onlyArchiveId(fixture.vault), data, key);
    const counts = await emulator.requestCounts();
    assert.equal(counts.UploadArchive, 1);
    assert.equal(counts.InitiateMultipartUpload, undefined);
    assert.deepEqual(await cachedNames(fixture.env, fixture.vault), [key]);
  });
});

describe('upload: multipart', () => {
  it('uploads a file of 5 MiB + 3 bytes in 1 MiB parts, options after the positionals', async () => {
    const fixture = await uploadFixture(emulator);
    const data = randomData(5 * MiB + 3);
    const file = fixture.file('multi', data);
    await emulator.resetRequestCounts();
    const result = await runCli('glacier-upload', [fixture.vault, file, '--part-size=1M', '--name=multi part', '--concurrency', '3'], {
      env: fixture.env,
    });
    assertOk(result);
    assert.equal(result.stdout.length, 0);
    assert.equal(result.stderr, '');
    await assertStored(fixture.vault, await onlyArchiveId(fixture.vault), data, 'multi part');
    const counts = await emulator.requestCounts();
    assert.equal(counts.InitiateMultipartUpload, 1);
    assert.equal(counts.UploadPart, 6);
    assert.equal(counts.CompleteMultipartUpload, 1);
    assert.equal(counts.UploadArchive, undefined);
    assert.deepEqual(await cachedNames(fixture.env, fixture.vault), ['multi part']);
  });

  it('uploads a pipe of 5 MiB + 3 bytes in 2 MiB parts', async () => {
    const fixture = await uploadFixture(emulator);
    const data = randomData(5 * MiB + 3);
    await emulator.resetRequestCounts();
    const result = await runCli('glacier', ['archive', 'upload', '--part-size', '2MiB', '--print-id', '--name', 'piped', fixture.vault, '-'], {
      env: fixture.env,
      input: data,
    });
    assertOk(result);
    const id = await onlyArchiveId(fixture.vault);
    assert.equal(result.stdout.toString(), `${id}\n`);
    await assertStored(fixture.vault, id, data, 'piped');
    assert.equal((await emulator.requestCounts()).UploadPart, 3);
  });

  it('sizes the parts of stdin from the size in a git-annex key', async () => {
    const fixture = await uploadFixture(emulator);
    const data = randomData(20 * MiB);
    const key = `SHA256E-s${data.length}--${treeHashOf(data).toString('hex')}.bin`;
    await emulator.resetRequestCounts();
    // Without the key's size, the 64 MiB default part would take this in one request.
    const result = await runCli('glacier', ['--region=us-east-1', 'archive', 'upload', '--name', key, fixture.vault, '-'], {
      env: fixture.env,
      input: data,
    });
    assertOk(result);
    const counts = await emulator.requestCounts();
    assert.equal(counts.UploadArchive, undefined);
    assert.equal(counts.UploadPart, 2, '16 MiB parts');
    await assertStored(fixture.vault, await onlyArchiveId(fixture.vault), data, key);
  });

  it('retries parts that meet 500, 408, throttling and reset connections, saying so on stderr', async () => {
    const fixture = await uploadFixture(emulator);
    const data = randomData(4 * MiB + 1);
    // One fault per request, on four successive UploadPart requests.
    const kinds = ['500', '408', 'throttle', 'reset'];
    for (const [skip, kind] of kinds.entries()) await emulator.addFault(`UploadPart:${kind}:skip=${skip}:count=1`);
    try {
      const result = await runCli('glacier-upload', ['--part-size', '1M', '--name', 'faulty', fixture.vault, '-'], {
        env: fixture.env,
        input: data,
      });
      assertOk(result);
      assert.equal(result.stdout.length, 0);
      const retries = stderrLines(result.stderr).filter((line) => /^glacier: warning: .*part \d+: .*; retry \d+ of 24 in/.test(line));
      assert.equal(retries.length, 4, result.stderr);
      assert.ok(
        retries.some((line) => line.includes('ServiceUnavailableException')),
        result.stderr,
      );
      assert.ok(
        retries.some((line) => line.includes('RequestTimeoutException')),
        result.stderr,
      );
      assert.ok(
        retries.some((line) => line.includes('ThrottlingException')),
        result.stderr,
      );
      assert.ok(
        retries.some((line) => /ECONNRESET|socket hang up|EPIPE/.test(line)),
        result.stderr,
      );
      await assertStored(fixture.vault, await onlyArchiveId(fixture.vault), data, 'faulty');
    } finally {
      await emulator.clearFaults();
    }
  });

  it('fails when Glacier reports a checksum mismatch, and records nothing', async () => {
    const fixture = await uploadFixture(emulator);
    for (const [operation, size] of [
      ['CompleteMultipartUpload', 2 * MiB + 5],
      ['UploadArchive', 100],
    ] as const) {
      await emulator.addFault(`${operation}:corrupt:count=1`);
      const result = await runCli('glacier-upload', ['--part-size', '1M', '--name', `bad-${operation}`, fixture.vault, '-'], {
        env: fixture.env,
        input: randomData(size),
      });
      assert.equal(result.status, 1, result.stderr);
      assert.equal(result.stdout.length, 0);
      assert.match(result.stderr, /Checksum mismatch/);
      if (operation === 'CompleteMultipartUpload') assert.match(result.stderr, /stopped and can be resumed: pipe the same input again into: glacier-upload --resume /);
    }
    await emulator.clearFaults();
    assert.deepEqual(await emulator.listArchives(fixture.vault), []);
    assert.deepEqual(await cachedNames(fixture.env, fixture.vault), []);
  });

  it('refuses success when Glacier answers with a tree hash other than the one sent: nothing recorded, the id named', async () => {
    const fixture = await uploadFixture(emulator);
    const cases = [
      ['UploadArchive', 100, /Glacier holds archive id:(\S+) with tree hash [0-9a-f]{64}, but the input hashes to [0-9a-f]{64}: not recorded/],
      ['CompleteMultipartUpload', 2 * MiB + 5, /Glacier holds archive id:(\S+) with tree hash [0-9a-f]{64}, but the input hashes to [0-9a-f]{64}: not recorded/],
      ['UploadMultipartPart', 2 * MiB + 5, /Glacier stored part \d with tree hash [0-9a-f]{64}, but the bytes sent hash to [0-9a-f]{64}/],
    ] as const;
    for (const [operation, size, message] of cases) {
      await emulator.addFault(`${operation}:misreport:count=1`);
      const result = await runCli('glacier-upload', ['--part-size', '1M', '--name', `misreported-${operation}`, fixture.vault, '-'], {
        env: fixture.env,
        input: randomData(size),
      });
      assert.equal(result.status, 1, result.stderr);
      assert.equal(result.stdout.length, 0);
      assert.match(result.stderr, message);
      await emulator.clearFaults();
    }
    assert.deepEqual(await cachedNames(fixture.env, fixture.vault), [], 'no archive recorded as stored');
    // The archives the two whole-archive answers named are the ones Glacier holds.
    const held = (await emulator.listArchives(fixture.vault)).map((archive) => archive.ArchiveDescription).sort();
    assert.deepEqual(held, ['misreported-CompleteMultipartUpload', 'misreported-UploadArchive']);
  });

  it('draws progress lines on stderr with --progress, and a summary at the end', async () => {
    const fixture = await uploadFixture(emulator);
    const data = randomData(3 * MiB);
    const file = fixture.file('progress', data);
    const shown = await runCli('glacier-upload', ['--progress', '--part-size', '1M', fixture.vault, file], { env: fixture.env });
    assertOk(shown);
    // Where stderr is no terminal, each redraw is a line of its own, and a summary ends them.
    assert.match(shown.stderr, /^glacier: 'progress': [\d.]+ (B|KiB|MiB) of 3\.0 MiB \(\d+%\), [\d.]+ (B|KiB|MiB)\/s, ETA (--|\d+ s)\n/);
    assert.match(shown.stderr, /\nglacier: stored 'progress' \(3\.0 MiB in \d+ s, [\d.]+ (KiB|MiB|GiB)\/s\)\n$/);
    assert.ok(!shown.stderr.includes('\r'), JSON.stringify(shown.stderr));
    const hidden = await runCli('glacier-upload', ['--no-progress', '--part-size', '1M', '--name', 'quiet', fixture.vault, file], { env: fixture.env });
    assertOk(hidden);
    assert.equal(hidden.stderr, '');
  });

  it('on a terminal, a retry warning first erases the progress line instead of running into it', async () => {
    const fixture = await uploadFixture(emulator);
    const file = fixture.file('tty', randomData(3 * MiB));
    await emulator.addFault('UploadPart:500:skip=1:count=1');
    // script(1) gives the upload a pseudo-terminal for stdin, stdout and stderr.
    const command = [process.execPath, binPath('glacier-upload'), '--concurrency', '1', '--part-size', '1M', fixture.vault, file].map((word) => `'${word}'`).join(' ');
    const terminal = spawnSync('script', ['-qec', command, '/dev/null'], { env: fixture.env, encoding: 'utf8', timeout: 60_000 });
    await emulator.clearFaults();
    assert.equal(terminal.status, 0, terminal.stdout);
    assert.match(terminal.stdout, /\r\x1b\[Kglacier: 'tty': [\d.]+ (B|KiB|MiB) of 3\.0 MiB/, 'a progress line was drawn');
    assert.match(terminal.stdout, /\r\x1b\[Kglacier: warning: .*ServiceUnavailableException/, 'the warning erased it first');
    const warnings = terminal.stdout.split('glacier: warning').length - 1;
    assert.equal(terminal.stdout.split('\r\x1b[Kglacier: warning').length - 1, warnings, 'every warning erased the line first');
  });

  it('names a vault that does not exist', async () => {
    const fixture = await uploadFixture(emulator);
    const result = await runCli('glacier-upload', ['--name', 'x', 'no-such-vault', '-'], { env: fixture.env, input: 'abc' });
    assert.equal(result.status, 1);
    assert.deepEqual(stderrLines(result.stderr), ["glacier: vault 'no-such-vault' not found in region us-east-1"]);
  });
});
