import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SegmentSyntaxError } from '../../src/lang/syntax-error.js';
import { formatServerBehaviour, parseServerBehaviour, SERVER_BEHAVIOUR_SYNTAX } from '../../src/lesson/format/server-spec.js';
import { BEHAVIOUR_PORTS, type ServerBehaviourSpec } from '../../src/server/behaviour.js';
import { expectSyntaxError } from '../lang/expect-error.js';

describe('server behaviours in one word', () => {
  test('every behaviour the server has is in the syntax table', () => {
    assert.deepEqual(
      SERVER_BEHAVIOUR_SYNTAX.map((syntax) => syntax.name).sort(),
      Object.keys(BEHAVIOUR_PORTS).sort(),
    );
  });

  const cases: Array<[string, ServerBehaviourSpec]> = [
    ['echo', { name: 'echo' }],
    ['discard', { name: 'discard' }],
    ['banner', { name: 'banner', text: '220 tcplab ready\r\n' }],
    ['banner="hi there\\r\\n"', { name: 'banner', text: 'hi there\r\n' }],
    ['banner="你好\\n"', { name: 'banner', text: '你好\n' }],
    ['close-after=0', { name: 'close-after', bytes: 0 }],
    ['close-after=5', { name: 'close-after', bytes: 5 }],
    ['line', { name: 'line' }],
    ['length-prefixed', { name: 'length-prefixed' }],
    ['slow-reader', { name: 'slow-reader', bytesPerSecond: 0 }],
    ['slow-reader=100', { name: 'slow-reader', bytesPerSecond: 100 }],
    ['refuse', { name: 'refuse' }],
    ['ECHO', { name: 'echo' }],
  ];
  for (const [text, spec] of cases) {
    test(`${text} reads, and writes back to a form that reads the same`, () => {
      assert.deepEqual(parseServerBehaviour(text), spec);
      assert.deepEqual(parseServerBehaviour(formatServerBehaviour(spec)), spec);
    });
  }

  test('mistakes, at their column', () => {
    expectSyntaxError(() => parseServerBehaviour('close-afer=5'), 1, "unknown server behaviour 'close-afer' at column 1; did you mean 'close-after'?");
    expectSyntaxError(() => parseServerBehaviour('close-after'), 12, 'close-after needs a value at column 12; e.g. close-after=5');
    expectSyntaxError(() => parseServerBehaviour('close-after=-1'), 13, "close-after takes a whole number, got '-1' at column 13; e.g. close-after=5");
    expectSyntaxError(() => parseServerBehaviour('echo=1'), 5, 'echo takes no value at column 5; write just echo');
    expectSyntaxError(() => parseServerBehaviour('close-after 5'), 12, "unexpected space in the server behaviour 'close-after 5' at column 12; write close-after=VALUE, with no spaces");
    expectSyntaxError(() => parseServerBehaviour('banner=hi'), 8, "data must be a quoted string or 0x hex, got 'hi' at column 8; write data=\"hello\\r\\n\" or data=0x68656c6c6f");
    expectSyntaxError(() => parseServerBehaviour('banner="a"b'), 11, "unexpected 'b' after the banner text at column 11; put the whole text in one quoted string");
    expectSyntaxError(() => parseServerBehaviour('banner="\\xff"'), 8, 'the banner text is not UTF-8 at column 8');
    expectSyntaxError(() => parseServerBehaviour(''), 1, 'expected a server behaviour at column 1; behaviours are echo discard banner close-after line length-prefixed slow-reader refuse');
  });

  test('only SegmentSyntaxError escapes', () => {
    for (const text of ['=', '==', 'banner=', 'slow-reader=1e3', 'close-after=99999999999999999999']) {
      assert.throws(() => parseServerBehaviour(text), SegmentSyntaxError, text);
    }
  });
});
