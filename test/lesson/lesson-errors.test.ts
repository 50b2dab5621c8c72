import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatLessonError } from '../../src/lesson/format/lesson-error.js';
import { parseLesson, readLessonFile } from '../../src/lesson/format/parse-lesson.js';
import { fixturePath } from '../support/run-cli.js';

async function errorsOf(name: string): Promise<string[]> {
  const parsed = await readLessonFile(fixturePath('lessons', 'broken', name));
  assert.ok(!parsed.ok, `${name} parsed`);
  const root = fixturePath('lessons', 'broken');
  return parsed.errors.map((error) => formatLessonError({ ...error, file: error.file.replace(`${root}/`, '') }));
}

/** A lesson with a valid front-matter above `body`; the body's first line is line 7. */
function bodyErrors(...body: string[]): string[] {
  const parsed = parseLesson(['---', 'id: t', 'title: T', 'summary: S', 'language: en', '---', ...body].join('\n'), 't.md');
  assert.ok(!parsed.ok, 'the lesson parsed');
  return parsed.errors.map(formatLessonError);
}

const STEP = ['```tcplab send', '```', '```tcplab check', 'flags=S -- f', '```', '```tcplab solution', 'tcp flags=S', '```'];

describe('each kind of broken file, at its line and column', () => {
  test('bad YAML: an unclosed quote is reported where it opens', async () => {
    assert.deepEqual(await errorsOf('bad-yaml.md'), ['bad-yaml.md:3:8: the front-matter is not valid YAML: this quoted text is never closed; end it with "']);
  });

  test('an unknown cell, with the kind it was probably meant to be', async () => {
    assert.deepEqual(await errorsOf('unknown-cell.md'), ["unknown-cell.md:12:11: unknown cell 'tcplab chek'; did you mean 'check'?"]);
  });

  test("a malformed segment in a solution, at the segment parser's column moved into the file", async () => {
    assert.deepEqual(await errorsOf('malformed-segment.md'), ["malformed-segment.md:17:5: unknown field 'flgs'; did you mean 'flags'?"]);
  });

  test('undefined variables, and variables used where their kind does not fit', async () => {
    assert.deepEqual(await errorsOf('undefined-variable.md'), [
      'undefined-variable.md:13:5: $server has .addr and .port, not .seq',
      "undefined-variable.md:17:18: unknown variable '$rxx'; did you mean '$rx'?",
      'undefined-variable.md:18:39: $rx.seq is a number, not an address; an address variable names .src, .dst or .addr',
      "undefined-variable.md:22:33: unknown variable '$srv'; the variables are $rx $tx $pkt[N] $server $me $peer",
    ]);
  });

  test('a hint before any step, and a solution in a run step', async () => {
    assert.deepEqual(await errorsOf('misplaced-hint.md'), [
      'misplaced-hint.md:10:1: a hint cell belongs to a step: put it after a ```tcplab send or ```tcplab run cell',
      'misplaced-hint.md:18:1: a solution cell belongs to a step the learner acts in, but this step opens with a run cell (line 14)',
    ]);
  });

  test('a missing front-matter field is reported at the front-matter', async () => {
    assert.deepEqual(await errorsOf('missing-field.md'), ["missing-field.md:1:1: missing field 'summary'"]);
  });

  test('fields of the wrong type, each at its value', async () => {
    assert.deepEqual(await errorsOf('wrong-type.md'), [
      "wrong-type.md:2:5: 'id' must be text, got the number 7; put it in quotes to make it text",
      "wrong-type.md:6:11: 'networks' must be a list, got 'lab'",
      "wrong-type.md:7:16: 'solutionAfter' must be a number, got 'three'",
      "wrong-type.md:8:7: 'role' must be one of client, server, got 'observer'; did you mean 'server'?",
    ]);
  });

  test('a file that cannot be read says why', async () => {
    const parsed = await readLessonFile(fixturePath('lessons', 'no-such-lesson.md'));
    assert.ok(!parsed.ok);
    assert.match(formatLessonError(parsed.errors[0]!), /no-such-lesson\.md: cannot read the lesson: no such file$/);
  });
});

describe('the front-matter', () => {
  const front = (...fields: string[]) => {
    const parsed = parseLesson(['---', ...fields, '---', '```tcplab run', 'reset', '```'].join('\n'), 'f.md');
    return parsed.ok ? [] : parsed.errors.map(formatLessonError);
  };

  test('a file with none', () => {
    const parsed = parseLesson('# Hello\n\n```tcplab run\nreset\n```\n', 'f.md');
    assert.deepEqual(!parsed.ok && parsed.errors.map(formatLessonError), [
      "f.md:1:1: a lesson starts with its front-matter: a line '---', the fields (id, title, summary, language), and '---'",
    ]);
  });

  test('one never closed is the only error: there is no body to read', () => {
    const parsed = parseLesson('---\nid: x\n\n```tcplab sned\n```\n', 'f.md');
    assert.deepEqual(!parsed.ok && parsed.errors.map(formatLessonError), ["f.md:1:1: the front-matter is never closed: end it with a line '---'"]);
  });

  test('unknown fields, misspelt values, non-canonical language tags, duplicate keys', () => {
    assert.deepEqual(front('id: t', 'title: T', 'summary: S', 'language: zh-cn', 'solutonAfter: 2', 'networks: [lab, lap]'), [
      "f.md:5:11: 'language': write it as 'zh-CN'",
      "f.md:6:1: unknown field 'solutonAfter'; did you mean 'solutionAfter'?",
      "f.md:7:17: 'networks[1]' must be one of lab, sim, got 'lap'; did you mean 'lab'?",
    ]);
    assert.deepEqual(front('id: t', 'id: u', 'title: T', 'summary: S', 'language: en'), ['f.md:3:1: the front-matter is not valid YAML: map keys must be unique']);
  });

  test('ids, numbers and lists out of their range', () => {
    assert.deepEqual(front('id: Three_Way', 'title: ""', 'summary: S', 'language: english', 'networks: []', 'solutionAfter: 0'), [
      "f.md:2:5: 'id' must be lowercase letters and digits, words joined by single hyphens (e.g. three-way-handshake), got 'Three_Way'",
      "f.md:3:8: 'title': the title is empty",
      "f.md:5:11: 'language' must be a language tag such as en or zh-CN, got 'english'",
      "f.md:6:11: 'networks': name at least one network: lab, sim",
      "f.md:7:16: 'solutionAfter' must be at least 1, got the number 0",
    ]);
    assert.deepEqual(front('id: t', 'title: T', 'summary: S', 'language: en', 'networks: [sim, sim]', 'solutionAfter: "3"'), [
      "f.md:6:11: 'networks': 'sim' is listed twice",
      "f.md:7:16: 'solutionAfter' must be a number, got '3'; write it without quotes",
    ]);
  });

  test("the server's behaviour, at the column within its value, quoted or not", () => {
    assert.deepEqual(front('id: t', 'title: T', 'summary: S', 'language: en', 'server: close-afer=5'), [
      "f.md:6:9: unknown server behaviour 'close-afer'; did you mean 'close-after'?",
    ]);
    assert.deepEqual(front('id: t', 'title: T', 'summary: S', 'language: en', 'server: "close-after=x"'), [
      "f.md:6:22: close-after takes a whole number, got 'x'; e.g. close-after=5",
    ]);
    assert.deepEqual(front('id: t', 'title: T', 'summary: S', 'language: en', 'server: echo=1'), ['f.md:6:13: echo takes no value; write just echo']);
  });

  test('a list where fields belong', () => {
    assert.deepEqual(front('- id', '- title'), ["f.md:2:1: the front-matter must be fields such as 'id: three-way-handshake', got a list"]);
  });
});

describe('cells', () => {
  test('every mistake in a file, together, sorted by position', () => {
    const errors = bodyErrors(
      '```tcplab send',
      'tcp flags=S seq=1000 opts=mss:1460,wscal:7',
      'tcp flags=A',
      '```',
      '```tcplab check',
      'flags=S',
      'ack -- no equals sign',
      '-- nothing before it',
      'flags=S -- x',
      '  ok: not for checks',
      '```',
      '```tcplab expect',
      'recx flags=SA',
      'silence 1s',
      'expect',
      'expect timeout=1 flags=SA',
      'recv flags=SA timeout=soon',
      '```',
      '```tcplab events',
      'app recieved',
      'state SYN-RECEIVED',
      'state established',
      'app accepted data="x"',
      '```',
      '```tcplab silence',
      'ok: quiet',
      '```',
      '```tcplab silence 2 3',
      'nothing here',
      '```',
      '```tcplab hint extra',
      '```',
      '```tcplab solution',
      '```',
      '```tcplab solution',
      'send tcp flags=S',
      '```',
    );
    assert.deepEqual(errors, [
      "t.md:8:36: unknown option 'wscal'; did you mean 'wscale'?",
      't.md:9:1: a send cell holds one segment; a step sends one, so start another step for the next',
      "t.md:12:1: a check needs ' -- ' and the sentence shown when the segment does not match",
      "t.md:13:4: missing '=' after 'ack'; write ack=value",
      "t.md:14:1: a check needs field=value before ' -- ', e.g. flags=S",
      "t.md:15:1: a check says nothing when it passes: 'ok:' belongs in expect and events cells",
      "t.md:19:1: unknown command 'recx'; did you mean 'recv'?",
      "t.md:20:1: unknown command 'silence'; silence has a cell of its own: ```tcplab silence 1s",
      't.md:21:1: expect needs at least one field=value, e.g. expect flags=SA',
      "t.md:22:8: unknown field 'timeout'; fields are src dst ttl id tos df sport dport seq ack win urp chksum flags opts len data",
      "t.md:23:23: timeout is in seconds, got 'soon'; e.g. timeout=2 or timeout=0.5",
      "t.md:26:5: unknown app event 'recieved'; did you mean 'received'?",
      "t.md:27:7: unknown TCP state 'SYN-RECEIVED'; Linux reports it as 'SYN-RECV'",
      "t.md:29:14: unexpected 'data=' in an app accepted line; it takes timeout=",
      't.md:31:1: silence needs how long to wait, e.g. ```tcplab silence 1s',
      't.md:34:21: silence takes one duration, e.g. ```tcplab silence 1s',
      "t.md:35:1: expected 'fail:' or 'ok:' and a sentence, got 'nothing here'",
      't.md:37:1: a hint cell is empty: write the hint in it, in Markdown',
      "t.md:37:16: a hint cell takes nothing after 'hint'",
      't.md:39:1: a solution cell holds the segment that passes the step, e.g. tcp flags=S seq=1000',
      't.md:41:1: this step already has a solution (line 39); a step has one',
      "t.md:42:1: a solution cell holds the segment alone: write 'tcp ...' without 'send'",
    ]);
  });

  test('a lesson with no step', () => {
    assert.deepEqual(bodyErrors('Just prose.', '```sh', 'ls', '```'), ['t.md:1:1: a lesson needs at least one step: a ```tcplab send or ```tcplab run cell']);
  });

  test('a send step that checks nothing and has no solution', () => {
    assert.deepEqual(bodyErrors('```tcplab send', 'tcp flags=S', '```', '```tcplab hint', 'h', '```'), [
      't.md:7:1: this step checks nothing: add a check, expect, events or silence cell after the send cell',
      't.md:7:1: this step has no solution: add a ```tcplab solution cell with the segment that passes it',
    ]);
  });

  test('a misspelt opening cell still opens a step, so the cells after it are not misplaced', () => {
    assert.deepEqual(bodyErrors('```tcplab snd', '```', ...STEP.slice(2)), ["t.md:7:11: unknown cell 'tcplab snd'; did you mean 'send'?"]);
  });

  test('a cell with no kind, and a cell with no closing fence', () => {
    assert.deepEqual(bodyErrors('```tcplab', '```', ...STEP, '````tcplab hint', 'h', '```'), [
      't.md:7:1: a cell needs a kind after \'tcplab\': send, check, expect, events, silence, hint, solution, run',
      't.md:17:1: this cell is never closed: end it with a line ````',
    ]);
  });

  test('an unclosed ordinary code block would swallow the cells after it', () => {
    assert.deepEqual(bodyErrors(...STEP, '````python', 'x = 1', ...STEP), ['t.md:15:1: this code block is never closed, so the rest of the file is code: end it with a line ````']);
  });

  test('cells GitHub shows but tcplab would not read', () => {
    assert.deepEqual(bodyErrors(...STEP, '- ```tcplab hint', '  h', '  ```'), [
      't.md:15:3: this cell is not read: a ```tcplab cell starts at the beginning of a line (at most 3 spaces in), not inside a list or a quote',
    ]);
  });

  test('run cells: commands, their arguments, and the learner\'s role', () => {
    assert.deepEqual(bodyErrors('```tcplab run', 'frob', 'recv flags=S', 'server', 'server close-after', 'connect now', 'wait 2x', 'send flags=S', 'send tcp seq=$me.port+', '```'), [
      "t.md:8:1: unknown command 'frob' in a run cell; a run cell takes server, connect, send, wait, reset",
      "t.md:9:1: unknown command 'recv' in a run cell; replies to wait for go in an expect cell",
      't.md:10:7: server needs a behaviour, e.g. server close-after=5',
      't.md:11:19: close-after needs a value; e.g. close-after=5',
      't.md:12:9: connect takes nothing after it',
      "t.md:13:6: expected a duration such as 1s or 500ms, got '2x'",
      "t.md:14:6: expected 'tcp', got 'flags=S'; e.g. tcp flags=S",
      "t.md:15:22: '+' needs a number or $variable after it; got end of value",
    ]);
  });

  test("connect in a client's lesson, and no connect in a server's", () => {
    assert.deepEqual(bodyErrors('```tcplab run', 'connect', '```'), [
      "t.md:8:1: connect has the bundled client connect to the learner, but the learner is the client here: set 'role: server' in the front-matter",
    ]);
    const parsed = parseLesson(['---', 'id: t', 'title: T', 'summary: S', 'language: en', 'role: server', '---', '```tcplab run', 'reset', '```'].join('\n'), 't.md');
    assert.deepEqual(!parsed.ok && parsed.errors.map(formatLessonError), [
      "t.md:6:7: the learner plays the server here, so a run cell needs 'connect' for the bundled client to open the connection",
    ]);
  });

  test('variables: indexes, fields and kinds the session would refuse', () => {
    assert.deepEqual(bodyErrors('```tcplab run', 'send tcp seq=$pkt.seq ack=$pkt[0].seq win=$rx urp=$me[1].port dport=$rx.port', 'send tcp flags=$rx.ack dst=$peer.port', 'send tcp sport=$peer.addr src=$rx.addr', '```'), [
      't.md:8:14: $pkt needs a packet number; e.g. $pkt[1].seq for the first packet',
      't.md:8:27: packets count from 1; $pkt[1] is the first, $pkt[-1] the latest',
      't.md:8:43: $rx needs a field; e.g. $rx.seq',
      't.md:8:51: $me has no index; write $me.port or $me.addr',
      't.md:8:69: $rx is a packet: it has .sport and .dport, not .port',
      't.md:9:16: $rx.ack is not a set of flags; a flags variable names .flags, e.g. $rx.flags',
      't.md:9:28: $peer.port is a number, not an address; an address variable names .src, .dst or .addr',
      't.md:10:16: $peer.addr is an address, not a number',
      't.md:10:31: $rx is a packet: it has .src and .dst, not .addr',
    ]);
  });

  test("columns the segment parser puts in its messages move with it into the file", () => {
    assert.deepEqual(bodyErrors('```tcplab run', '   send tcp seq=($rx.seq', '```'), [
      "t.md:8:25: expected ')', got end of value; the '(' at column 17 is not closed",
    ]);
  });
});
