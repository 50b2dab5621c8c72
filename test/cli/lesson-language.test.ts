// `tcplab lesson` tells each verdict in the lesson's language: a zh-CN lesson's verdicts
// read in Chinese, an English lesson's as before.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../support/run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'tcplab-lesson-language-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const answers = join(scratch, 'answers.md');
writeFileSync(answers, '## step 1\ntcp flags=S seq=999\ntcp flags=S seq=1000\n\n## step 2\ntcp flags=A seq=1001 ack=$rx.seq+1\n');

describe('tcplab lesson, in the lesson\'s language', () => {
  test('a Chinese lesson: its verdicts in Chinese', () => {
    const { status, stdout, stderr } = runCli(['lesson', 'lessons/zh-CN/02-three-way-handshake.md', '--answers', answers, '--net', 'sim', '--seed', '5']);
    assert.equal(status, 0, stdout + stderr);
    assert.match(stdout, /\n {2}第 1 次尝试：tcp flags=S seq=999 {3}\(.*answers\.md:2:1\)\n {2}未通过：发送前有 1 项检查不满足，报文段没有发出\n {4}检查 seq=1000 \(lessons\/zh-CN\/02-three-way-handshake\.md:\d+:1\)\n {6}这一课的 ISN 请取 1000/);
    assert.match(stdout, /\n {6}seq {2}期望 1000 \(0x3e8\)\n {11}实际 999 \(0x3e7\)\n/);
    assert.match(stdout, /\n {2}第 2 次尝试：tcp flags=S seq=1000 .*\n {2}通过\n {4}内核回了 SYN-ACK/);
    assert.match(stdout, /\n {2}到目前为止的报文往来：\n/);
    assert.doesNotMatch(stdout, /PASSED|FAILED|the exchange so far/);
  });

  test('an English lesson: its verdicts in English', () => {
    const { status, stdout } = runCli(['lesson', 'lessons/02-three-way-handshake.md', '--answers', answers, '--net', 'sim', '--seed', '5']);
    assert.equal(status, 0, stdout);
    assert.match(stdout, /\n {2}try 1: tcp flags=S seq=999 {3}\(.*answers\.md:2:1\)\n {2}FAILED before sending: 1 check does not hold, so nothing was sent\n/);
    assert.match(stdout, /\n {2}PASSED\n/);
    assert.doesNotMatch(stdout, /[\u4e00-\u9fff]/u);
  });
});
