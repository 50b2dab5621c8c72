import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseLesson } from '../../src/lesson/format/parse-lesson.js';
import { LessonSchema, type Lesson } from '../../src/lesson/format/schema.js';
import { fixturePath } from '../support/run-cli.js';

const at = (line: number, column = 1) => ({ line, column });
const text = (value: string, line: number, column = 1) => ({ text: value, at: at(line, column) });

function parseFixture(name: string, transform = (source: string) => source): Lesson {
  const source = transform(readFileSync(fixturePath('lessons', name), 'utf8'));
  const parsed = parseLesson(source, `lessons/${name}`);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.map((error) => `${error.line}:${error.column}: ${error.message}`).join('\n'));
  return parsed.lesson;
}

const HANDSHAKE: Lesson = {
  file: 'lessons/handshake.md',
  meta: {
    id: 'three-way-handshake',
    title: 'The three-way handshake',
    summary: 'Open a connection to the echo server by hand, one segment at a time.',
    language: 'en',
    networks: ['lab', 'sim'],
    server: 'echo',
    role: 'client',
    solutionAfter: 2,
  },
  metaAt: {
    id: at(2, 5),
    title: at(3, 8),
    summary: at(4, 10),
    language: at(5, 11),
    networks: at(6, 11),
    server: at(7, 9),
    role: at(8, 7),
    solutionAfter: at(9, 16),
  },
  server: { name: 'echo' },
  intro: '# The three-way handshake\n\nA TCP connection opens with three segments: SYN, SYN-ACK, ACK.',
  steps: [
    {
      number: 1,
      prose: '## Step 1: SYN\n\nSend a SYN to the echo server. Pick your own initial sequence number.',
      action: { kind: 'send', template: text('tcp flags=S seq=1000', 21), at: at(20) },
      checks: [
        { matcher: text('flags=S', 25), fail: 'A connection opens with SYN alone: no ACK yet, there is nothing to acknowledge.' },
        { matcher: text('dport=$server.port', 26), fail: "Send it to the echo server's port." },
      ],
      expectations: [
        {
          kind: 'reply',
          command: 'recv',
          line: text('recv flags=SA ack=$tx.seq+1 timeout=2', 32),
          timeoutMs: 2000,
          fail: 'The SYN-ACK acknowledges your SYN: its ack is your ISN plus one.',
          ok: 'The kernel picked its own ISN and acknowledged yours plus one, because a SYN takes one sequence number.',
        },
      ],
      hints: [
        { markdown: 'A SYN has only the **S** flag set.', at: at(37) },
        { markdown: 'Try `tcp flags=S seq=1000`.', at: at(41) },
      ],
      solution: text('tcp flags=S seq=1000', 46),
      notes: 'The server answers with its own SYN, and acknowledges yours:',
    },
    {
      number: 2,
      prose: "## Step 2: ACK\n\nAcknowledge the server's SYN.",
      action: { kind: 'send', template: text('tcp flags=A', 54), at: at(53) },
      checks: [
        { matcher: text('flags=A', 58), fail: 'The third segment carries ACK alone.' },
        { matcher: text('seq=$tx.seq+1', 59), fail: 'Your SYN took one sequence number, so you continue from ISN + 1.' },
        { matcher: text('ack=$rx.seq+1', 60), fail: "Acknowledge the server's SYN: its ISN plus one." },
      ],
      expectations: [
        {
          kind: 'silence',
          ms: 500,
          at: at(63),
          fail: 'The server answered your ACK; a bare ACK needs no answer.',
          ok: 'Nothing came back: a bare ACK is not acknowledged.',
        },
        {
          kind: 'app',
          event: 'accepted',
          data: null,
          line: text('app accepted', 69),
          timeoutMs: null,
          fail: "The server's application never accepted the connection.",
          ok: null,
        },
        { kind: 'state', state: 'ESTABLISHED', line: text('state ESTABLISHED', 70), timeoutMs: null, fail: null, ok: null },
      ],
      hints: [],
      solution: text('tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1', 74),
      notes: '',
    },
  ],
  outro: 'The connection is open.',
};

describe('a valid lesson', () => {
  test('parses to exactly this structure', () => {
    assert.deepEqual(parseFixture('handshake.md'), HANDSHAKE);
  });

  test('the parsed lesson satisfies LessonSchema, and survives JSON', () => {
    const lesson = parseFixture('handshake.md');
    assert.deepEqual(LessonSchema.parse(JSON.parse(JSON.stringify(lesson))), lesson);
  });

  test('CRLF line endings and a byte-order mark change nothing, positions included', () => {
    const lesson = parseFixture('handshake.md', (source) => `\uFEFF${source.replaceAll('\n', '\r\n')}`);
    assert.deepEqual(lesson, HANDSHAKE);
  });

  test('a learner-as-server lesson: run steps, tilde fences, comments in cells, defaults from the schema', () => {
    const lesson = parseFixture('be-the-server.md');
    assert.equal(lesson.meta.role, 'server');
    assert.equal(lesson.meta.solutionAfter, 3, 'the default');
    assert.deepEqual(lesson.server, { name: 'discard' });
    assert.deepEqual(
      lesson.steps.map((step) => [step.number, step.action.kind, step.action.at.line]),
      [
        [1, 'run', 15],
        [2, 'send', 27],
        [3, 'run', 52],
      ],
    );
    const [first, second, third] = lesson.steps;
    assert.deepEqual(first?.action, { kind: 'run', commands: [{ command: 'connect', line: text('connect', 17) }], at: at(15) });
    assert.equal(first?.prose, "# Be the server\n\nThis time the bundled client opens the connection, and you play the server's kernel.");
    assert.deepEqual(first?.expectations, [
      {
        kind: 'reply',
        command: 'recv',
        line: text('recv flags=S dport=$me.port', 21),
        timeoutMs: null,
        fail: "The client's SYN should arrive at your port.",
        ok: "The client's kernel chose its ISN and sent a SYN to you.",
      },
    ]);
    assert.equal(first?.solution, null);
    assert.deepEqual(second?.action, { kind: 'send', template: text('tcp flags=SA seq=5000', 28), at: at(27) });
    assert.deepEqual(second?.expectations, [
      {
        kind: 'reply',
        command: 'recv',
        line: text('recv flags=A ack=$tx.seq+1 timeout=2', 37),
        timeoutMs: 2000,
        fail: 'The client should complete the handshake with an ACK of your ISN plus one.',
        ok: null,
      },
      { kind: 'app', event: 'connected', data: null, line: text('app connected timeout=1', 42), timeoutMs: 1000, fail: null, ok: null },
      {
        kind: 'state',
        state: 'ESTABLISHED',
        line: text('state ESTABLISHED', 43),
        timeoutMs: null,
        fail: "The client's socket should be ESTABLISHED once it has sent its ACK.",
        ok: null,
      },
    ]);
    assert.deepEqual(third?.action, {
      kind: 'run',
      commands: [
        { command: 'wait', ms: 2000, line: text('wait 2s', 53) },
        { command: 'server', behaviour: { name: 'echo' }, line: text('server echo', 54) },
      ],
      at: at(52),
    });
    assert.equal(lesson.outro, 'Well done.');
  });
});

describe('cell contents', () => {
  const lesson = (body: string) => {
    const parsed = parseLesson(`---\nid: t\ntitle: T\nsummary: S\nlanguage: en\n---\n${body}`, 't.md');
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.map((error) => `${error.line}:${error.column}: ${error.message}`).join('\n'));
    return parsed.lesson;
  };

  test('app received data= keeps the literal as written and its bytes in hex; escapes and " -- " inside quotes are data', () => {
    const parsed = lesson(
      ['```tcplab send', '```', '```tcplab events', 'app received data="a -- b\\r\\n" -- The server read something else.', '```', '```tcplab solution', 'tcp data="a -- b\\r\\n"', '```'].join('\n'),
    );
    assert.deepEqual(parsed.steps[0]?.expectations, [
      {
        kind: 'app',
        event: 'received',
        data: { text: '"a -- b\\r\\n"', hex: Buffer.from('a -- b\r\n').toString('hex') },
        line: text('app received data="a -- b\\r\\n"', 10),
        timeoutMs: null,
        fail: 'The server read something else.',
        ok: null,
      },
    ]);
    assert.equal(parsed.steps[0]?.action.kind === 'send' && parsed.steps[0].action.template, null, 'an empty send cell has no template');
  });

  test('fail: on an indented line is the long form of " -- ", and sentences continue over indented lines', () => {
    const parsed = lesson(
      ['```tcplab send', '```', '```tcplab expect', 'expect flags=SA', '  fail: The server did', '    not answer.', '  ok: It did.', '```', '```tcplab solution', 'tcp flags=S', '```'].join('\n'),
    );
    const [expectation] = parsed.steps[0]?.expectations ?? [];
    assert.equal(expectation?.fail, 'The server did not answer.');
    assert.equal(expectation?.ok, 'It did.');
  });

  test('a hint keeps its Markdown, with the indentation of its lines, trimmed of blank lines around it', () => {
    const parsed = lesson(['```tcplab send', '```', '```tcplab check', 'flags=S -- f', '```', '```tcplab hint', '', '- one', '  - two', '', '```', '```tcplab solution', 'tcp flags=S', '```'].join('\n'));
    assert.deepEqual(parsed.steps[0]?.hints, [{ markdown: '- one\n  - two', at: at(12) }]);
  });

  test('ordinary code blocks are prose, kept as written', () => {
    const parsed = lesson(['Before.', '', '```python', 'print(1)', '```', '```tcplab send', '```', '```tcplab check', 'flags=S -- f', '```', '```tcplab solution', 'tcp flags=S', '```'].join('\n'));
    assert.equal(parsed.steps[0]?.prose, 'Before.\n\n```python\nprint(1)\n```');
  });

  test('the prose before a step splits at its first ## heading: what precedes closes the step before', () => {
    const parsed = lesson(
      [
        '# Title',
        'Intro.',
        '## One',
        '```tcplab run',
        'server line',
        '```',
        'Well done.',
        '',
        '## Two',
        '### Detail',
        '```tcplab run',
        'reset',
        '```',
      ].join('\n'),
    );
    assert.equal(parsed.intro, '# Title\nIntro.');
    assert.equal(parsed.steps[0]?.prose, '## One');
    assert.equal(parsed.steps[0]?.notes, 'Well done.');
    assert.equal(parsed.steps[1]?.prose, '## Two\n### Detail');
  });

  test('server behaviours with settings, in the front-matter and in run cells', () => {
    const parsed = parseLesson(
      ['---', 'id: t', 'title: T', 'summary: S', 'language: zh-CN', 'server: banner="hi\\r\\n"', '---', '```tcplab run', 'server slow-reader=100', 'server close-after=0', '```'].join('\n'),
      't.md',
    );
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.lesson.server, { name: 'banner', text: 'hi\r\n' });
    const action = parsed.lesson.steps[0]?.action;
    assert.deepEqual(
      action?.kind === 'run' && action.commands.map((command) => (command.command === 'server' ? command.behaviour : null)),
      [
        { name: 'slow-reader', bytesPerSecond: 100 },
        { name: 'close-after', bytes: 0 },
      ],
    );
  });
});
