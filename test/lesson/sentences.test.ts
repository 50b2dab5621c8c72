import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDuration, parseTimeoutSeconds } from '../../src/lesson/format/duration.js';
import { splitFail } from '../../src/lesson/format/sentences.js';
import { expectSyntaxError } from '../lang/expect-error.js';

describe("' -- ' between a line and its sentence", () => {
  test('splits at the first separator outside quotes, and says where the sentence starts', () => {
    assert.deepEqual(splitFail('flags=S -- A SYN -- alone.'), { head: 'flags=S', fail: 'A SYN -- alone.', failColumn: 12 });
    assert.deepEqual(splitFail('data="x -- y" -- Send it.'), { head: 'data="x -- y"', fail: 'Send it.', failColumn: 18 });
    assert.deepEqual(splitFail('data="say \\"hi -- \\"" -- S'), { head: 'data="say \\"hi -- \\""', fail: 'S', failColumn: 26 });
  });

  test('no separator, an empty sentence, and a line that is only a sentence', () => {
    assert.deepEqual(splitFail('flags=S  '), { head: 'flags=S', fail: null, failColumn: 10 });
    assert.deepEqual(splitFail('flags=S --'), { head: 'flags=S', fail: '', failColumn: 11 });
    assert.deepEqual(splitFail('-- Nothing before.'), { head: '', fail: 'Nothing before.', failColumn: 4 });
    assert.deepEqual(splitFail('seq=1--2'), { head: 'seq=1--2', fail: null, failColumn: 9 });
  });
});

describe('durations', () => {
  test('silence and wait take seconds or milliseconds, with or without a unit', () => {
    assert.equal(parseDuration('1s'), 1000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('2'), 2000);
    assert.equal(parseDuration('600s'), 600_000);
  });

  test('out of range or not a duration', () => {
    expectSyntaxError(() => parseDuration('0s', 5), 5, "the duration must be more than 0, got '0s' at column 5");
    expectSyntaxError(() => parseDuration('601s'), 1, "the duration must be at most 600s, got '601s' at column 1");
    expectSyntaxError(() => parseDuration('1m'), 1, "expected a duration such as 1s or 500ms, got '1m' at column 1");
    expectSyntaxError(() => parseDuration(''), 1, 'expected a duration such as 1s or 500ms, got nothing at column 1');
  });

  test("timeout= is in seconds, as the REPL's recv takes it", () => {
    assert.equal(parseTimeoutSeconds('2'), 2000);
    assert.equal(parseTimeoutSeconds('0.25'), 250);
    expectSyntaxError(() => parseTimeoutSeconds('2s', 9), 9, "timeout is in seconds, got '2s' at column 9; e.g. timeout=2 or timeout=0.5");
    expectSyntaxError(() => parseTimeoutSeconds('0'), 1, "timeout must be more than 0, got '0' at column 1");
    expectSyntaxError(() => parseTimeoutSeconds('601'), 1, 'timeout is at most 600 seconds, got 601 at column 1');
  });
});

describe('a sentence continued on indented lines', () => {
  const lines = (...texts: string[]) => texts.map((text, i) => ({ text, line: i + 1, column: 1 }));

  test('English lines join with a space; Chinese lines, and a break beside fullwidth punctuation, with none', async () => {
    const { readSentences } = await import('../../src/lesson/format/sentences.js');
    const errors: never[] = [];
    assert.deepEqual(readSentences('l.md', lines('ok: The server answered', '  with SYN-ACK.'), errors), { fail: null, ok: 'The server answered with SYN-ACK.' });
    assert.deepEqual(readSentences('l.md', lines('ok: 服务器程序对此一无所知：', '  accept() 只会拿到', '  已经完成握手的连接。'), errors), { fail: null, ok: '服务器程序对此一无所知：accept() 只会拿到已经完成握手的连接。' });
    assert.deepEqual(errors, []);
  });
});
