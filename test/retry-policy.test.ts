// The retry policy as a pure decision (retry.ts): which failures are tried again, how
// often, after how long, and what the command says when it gives up; and the names the
// failures go by (http/networkFailure.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asNetworkFailure, nameNetworkFailure, NetworkFailure, type Where } from '../src/aws/http/networkFailure.js';
import { Attempts, BodyMismatch, classify, decide, MISMATCH_ATTEMPTS, UNREACHABLE_POLICY, type RetryPolicy } from '../src/aws/retry.js';
import { FailureError, VerificationError } from '../src/errors.js';

const POLICY: RetryPolicy = { attempts: 25, baseDelayMs: 500, maxDelayMs: 60_000 };
const answer = (name: string, status: number): Error => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
const socketError = (code: string, message = code): Error => Object.assign(new Error(message), { code });
const refused = new NetworkFailure('connection refused by 127.0.0.1:9', 'ECONNREFUSED', 'unreachable', 'http://127.0.0.1:9');

describe('classify', () => {
  test('transient answers, network failures, mismatches, and the rest', () => {
    for (const error of [
      answer('ServiceUnavailableException', 500),
      answer('ThrottlingException', 400),
      answer('RequestTimeoutException', 408),
      answer('Whatever', 502),
      answer('TooManyRequestsException', 429),
    ]) {
      assert.equal(classify(error), 'answer', error.name);
    }
    for (const error of [socketError('ECONNRESET'), socketError('ETIMEDOUT'), socketError('ECONNREFUSED'), socketError('ENOTFOUND'), refused])
      assert.equal(classify(error), 'network');
    assert.equal(classify(new BodyMismatch('tree hash differs')), 'mismatch');
    for (const error of [
      answer('ResourceNotFoundException', 404),
      answer('InsufficientCapacityException', 503),
      answer('AccessDeniedException', 403),
      new Error('bug'),
      'text',
      socketError('DEPTH_ZERO_SELF_SIGNED_CERT'),
    ]) {
      assert.equal(classify(error), 'final', String(error));
    }
    assert.equal(classify(new NetworkFailure('the proxy said no', 'EPROXYREFUSED', 'refused-by-proxy', 'x')), 'final');
  });
});

describe('decide', () => {
  test('an answer is retried up to the policy, with a doubling delay, jittered, capped', () => {
    const error = answer('ServiceUnavailableException', 500);
    for (let attempt = 1; attempt < POLICY.attempts; attempt++) {
      const ceiling = Math.min(POLICY.maxDelayMs, POLICY.baseDelayMs * 2 ** (attempt - 1));
      assert.deepEqual(
        decide(error, attempt, 0, true, POLICY, () => 0),
        { retry: true, delayMs: ceiling / 2, limit: 25 },
      );
      assert.equal(decide(error, attempt, 0, true, POLICY, () => 1).delayMs, ceiling);
    }
    assert.equal(decide(error, 25, 0, true, POLICY).retry, false);
  });

  test('a network failure before the endpoint ever answered: three quick attempts, whatever the policy', () => {
    const delays = [1, 2].map((attempt) => decide(refused, attempt, 0, false, POLICY, () => 1));
    assert.deepEqual(delays, [
      { retry: true, delayMs: 500, limit: UNREACHABLE_POLICY.attempts },
      { retry: true, delayMs: 1000, limit: UNREACHABLE_POLICY.attempts },
    ]);
    assert.equal(decide(refused, 3, 0, false, POLICY).retry, false);
    assert.equal(decide(refused, 3, 0, true, POLICY).retry, true, 'once it answered, the same failure is transient');
    assert.equal(decide(refused, 2, 0, false, { ...POLICY, attempts: 2 }).retry, false, 'a smaller policy still wins');
  });

  test('a mismatch is fetched again at once, at most MISMATCH_ATTEMPTS times, within the policy', () => {
    const mismatch = new BodyMismatch('tree hash differs');
    assert.deepEqual(decide(mismatch, 1, 1, true, POLICY), { retry: true, delayMs: 0, limit: MISMATCH_ATTEMPTS });
    assert.equal(decide(mismatch, 7, MISMATCH_ATTEMPTS, true, POLICY).retry, false);
    assert.equal(decide(mismatch, 2, 2, true, { ...POLICY, attempts: 2 }).retry, false);
  });

  test('final failures are never retried', () => {
    assert.equal(decide(answer('InsufficientCapacityException', 503), 1, 0, true, POLICY).retry, false);
    assert.equal(decide(socketError('CERT_HAS_EXPIRED', 'certificate has expired'), 1, 0, false, POLICY).retry, false);
  });
});

describe('Attempts', () => {
  const quick: RetryPolicy = { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 };
  const run = async (errors: unknown[], answered: boolean): Promise<{ warnings: string[]; thrown: unknown; attempts: number }> => {
    const warnings: string[] = [];
    const attempts = new Attempts('ListVaults', { policy: quick, answered: () => answered, warn: (text) => warnings.push(text) });
    let tried = 0;
    for (;;) {
      const error = errors[Math.min(tried++, errors.length - 1)];
      try {
        await attempts.failed(error);
      } catch (thrown) {
        return { warnings, thrown, attempts: tried };
      }
    }
  };

  test('before any answer: the endpoint and the cause, in one line', async () => {
    const { warnings, thrown, attempts } = await run([refused], false);
    assert.equal(attempts, 3);
    assert.equal(warnings.length, 2);
    warnings.forEach((warning, index) => assert.match(warning, new RegExp(`^ListVaults: connection refused by 127\\.0\\.0\\.1:9; retry ${index + 1} of 2 in \\d\\.\\d s$`)));
    assert.ok(thrown instanceof FailureError);
    assert.equal(thrown.message, 'cannot reach Glacier at http://127.0.0.1:9: connection refused by 127.0.0.1:9');
  });

  test('after an answer: the failure as users know it, and how often it was tried', async () => {
    const { thrown } = await run([socketError('ECONNRESET', 'read ECONNRESET')], true);
    assert.ok(thrown instanceof FailureError);
    assert.equal(thrown.message, 'ListVaults: connection reset; gave up after 3 attempts');
  });

  test('an AWS refusal is handed on as it is; repeated mismatches become a VerificationError', async () => {
    const notFound = answer('ResourceNotFoundException', 404);
    assert.equal((await run([notFound], true)).thrown, notFound);
    const { thrown, warnings } = await run([new BodyMismatch('tree hash 00 differs')], true);
    assert.ok(thrown instanceof VerificationError);
    assert.equal(thrown.message, 'ListVaults failed verification 3 times (tree hash 00 differs); nothing unverified was delivered');
    assert.equal(warnings[0], 'ListVaults: tree hash 00 differs; fetching it again (attempt 2 of 3)');
  });
});

describe('network failures as users know them', () => {
  const where = { origin: { protocol: 'https:', hostname: 'glacier.eu-west-1.amazonaws.com', port: 443 }, proxy: undefined } as const;
  const viaProxy = { ...where, proxy: new URL('http://alice:secret@proxy.example:3128') };
  const text = (error: Error, at: Where = where): string | undefined => nameNetworkFailure(error, at)?.text;

  test('refused, DNS, reset, timeouts, certificates, proxies', () => {
    assert.equal(text(socketError('ECONNREFUSED', 'connect ECONNREFUSED 1.2.3.4:443')), 'connection refused by glacier.eu-west-1.amazonaws.com:443');
    assert.equal(text(socketError('ECONNREFUSED'), viaProxy), 'connection refused by the proxy http://proxy.example:3128');
    assert.equal(
      text(Object.assign(socketError('ENOTFOUND', 'getaddrinfo ENOTFOUND glacier.eu-wset-1.amazonaws.com'), { hostname: 'glacier.eu-wset-1.amazonaws.com' })),
      'DNS lookup failed for glacier.eu-wset-1.amazonaws.com',
    );
    assert.equal(text(socketError('ECONNRESET', 'read ECONNRESET')), 'connection reset');
    const idle = Object.assign(new Error('@smithy/node-http-handler - the request socket timed out after 120000 ms of inactivity (configured by client requestHandler).'), {
      name: 'TimeoutError',
    });
    assert.equal(text(idle), 'timed out after 120 s without a byte');
    assert.match(
      text(socketError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate')) ?? '',
      /^the TLS certificate of glacier\.eu-west-1\.amazonaws\.com is not trusted \(unable to verify the first certificate\); if a private CA signed it, set AWS_CA_BUNDLE/,
    );
    assert.equal(text(new Error('Bad response: 407'), viaProxy), 'the proxy http://proxy.example:3128 refused the tunnel: HTTP 407 (check the user and password in the proxy URL)');
    assert.equal(nameNetworkFailure(new Error('Bad response: 502'), viaProxy)?.kind, 'unreachable');
    assert.equal(nameNetworkFailure(answer('ServiceUnavailableException', 500)), undefined, 'an answer is no network failure');
  });

  test('a NetworkFailure names where it happened, never the proxy password', () => {
    const failure = asNetworkFailure(socketError('ECONNREFUSED'), viaProxy);
    assert.ok(failure instanceof NetworkFailure);
    assert.equal(failure.endpoint, 'https://glacier.eu-west-1.amazonaws.com:443 through the proxy http://proxy.example:3128');
    assert.ok(!`${failure.message} ${failure.endpoint}`.includes('secret'));
  });
});
