// `tcplab lesson` tells each verdict, and everything printed around it, in the lesson's
// language: a zh-CN lesson reads in Chinese, an English lesson's as before.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { englishLeft } from '../lesson/wrong-answers.js';
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

// Wrong in every way after sending, with hints past the last, the solution offered and asked
// for; in the close, a FIN the kernel drops and no answer at all for the last step.
const wrongHandshake = join(scratch, 'wrong-handshake.md');
writeFileSync(
  wrongHandshake,
  [
    '## step 1',
    'tcp flags=S seq=1000 chksum=1',
    'tcp flags=S seq=1000',
    'tcp flags=S seq=1000',
    '## step 2',
    'hint',
    'hint',
    'hint',
    'hint',
    'tcp flags=A seq=1001 ack=$rx.seq+1 chksum=1',
    'tcp flags=A seq=1001 ack=$rx.seq+1 data="x"',
    'tcp flags=A seq=1001 ack=$rx.seq',
    'solution',
    '',
  ].join('\n'),
);
const wrongClose = join(scratch, 'wrong-close.md');
writeFileSync(wrongClose, '## step 3\ntcp flags=FA seq=1001 ack=$rx.seq+1 chksum=1\ntcp flags=FA seq=1001 ack=$rx.seq+1\n');

function play(lesson: string, answersFile: string) {
  const { status, stdout, stderr } = runCli(['lesson', lesson, '--answers', answersFile, '--net', 'sim', '--seed', '5']);
  assert.equal(status, 1, stdout + stderr);
  return stdout;
}

/** The lines of the output, the network chooser's own (the second line, as every command prints it) left out. */
function printed(stdout: string): string[] {
  const lines = stdout.split('\n');
  assert.match(lines[1]!, /^network: sim/);
  return [lines[0]!, ...lines.slice(2)];
}

describe('tcplab lesson with wrong answers, in the lesson\'s language', () => {
  test('a Chinese lesson: no English around the verdicts or in them', () => {
    for (const [lesson, answersFile] of [
      ['lessons/zh-CN/02-three-way-handshake.md', wrongHandshake],
      ['lessons/zh-CN/04-four-way-close.md', wrongClose],
    ] as const) {
      const stdout = play(lesson, answersFile);
      // The lesson's id and the files' paths are names, not words.
      const text = printed(stdout).join('\n').replace(/three-way-handshake|four-way-close/g, '').replace(/\S*\.md/g, '');
      assert.deepEqual(englishLeft(text), [], stdout);
    }
  });

  test('a Chinese lesson: its headings, hints, solutions, notes and result in Chinese', () => {
    const handshake = play('lessons/zh-CN/02-three-way-handshake.md', wrongHandshake);
    assert.match(handshake, /^课程 three-way-handshake：三次握手（lessons\/zh-CN\/02-three-way-handshake\.md）\n.*\n答案：.*wrong-handshake\.md\n/);
    assert.match(handshake, /\n第 1 步：第一次握手：SYN\n/);
    assert.match(handshake, /\n {6}1 秒内没有收到对方发来的符合 flags=SA ack=1001 的报文\n {4}你实际发出的报文段：\n/);
    assert.match(handshake, /\n {2}（在端口 40001 上重新开始）\n {2}第 2 次尝试：/);
    assert.match(handshake, /\n {4}你 +服务器\n/);
    assert.match(handshake, /\n {2}（后面还有 1 次尝试，没有用上）\n/);
    assert.match(handshake, /\n {2}提示：这个报文段里的两个数/);
    assert.match(handshake, /\n {2}提示：没有更多提示了\n/);
    assert.match(handshake, /\n {6}1 秒内没有等到服务器程序的 'accepted' 事件，它什么事件也没有\n/);
    assert.match(handshake, /\n {2}（在端口 40002 上重新开始，前面的第 1 步已重新执行）\n/);
    assert.match(handshake, /\n {6}1 秒内本不该有任何报文，对方却发来了 #\d+\n/);
    assert.match(handshake, /\n {2}参考答案（失败 3 次后给出）：tcp flags=A seq=1001 ack=\$rx\.seq\+1\n {4}代入本连接的实际数值：tcp seq=1001 ack=\d+ flags=A\n {2}参考答案（应要求给出）：tcp flags=A/);
    assert.match(handshake, /\n {2}（你的答案没有通过这一步；已改为执行参考答案，以便接着评判后面的步骤）\n/);
    assert.match(handshake, /\n\n结果：2 步中通过了 1 步，本课未通过（第 2 步未通过）\n$/);

    const close = play('lessons/zh-CN/04-four-way-close.md', wrongClose);
    assert.match(close, /\n第 2 步\n {2}课程自动执行：send tcp flags=A seq=1001 ack=\$rx\.seq\+1\n {2}通过\n/);
    assert.match(close, /\n {6}1 秒内没有收到对方发来的符合 flags=FA ack=1002 的报文\n/);
    assert.match(close, /\n {2}（在端口 40001 上重新开始，前面的第 1 至 2 步已重新执行）\n/);
    assert.match(close, /\n第 4 步：第四次挥手：最后一个 ACK\n {2}（这一步没有答案）\n/);
    assert.match(close, /\n\n结果：4 步中通过了 3 步，本课未通过（第 4 步未通过）\n$/);
  });

  test('an English lesson: the same lines as before', () => {
    const handshake = play('lessons/02-three-way-handshake.md', wrongHandshake);
    assert.match(handshake, /^lesson three-way-handshake: The three-way handshake \(lessons\/02-three-way-handshake\.md\)\n.*\nanswers: .*wrong-handshake\.md\n/);
    assert.match(handshake, /\nstep 1: SYN\n/);
    assert.match(handshake, /\n {6}nothing from the peer matched flags=SA ack=1001 within 1 s\n {4}your segment, as sent:\n/);
    assert.match(handshake, /\n {2}\(a fresh start on port 40001\)\n {2}try 2: /);
    assert.match(handshake, /\n {4}learner +server\n/);
    assert.match(handshake, /\n {2}\(1 later try was not needed\)\n/);
    assert.match(handshake, /\n {2}hint: Every number in this segment is someone's ISN plus one: yours in `seq`, the server's in\n {8}`ack`\.\n/);
    assert.match(handshake, /\n {2}hint: there are no more hints\n/);
    assert.match(handshake, /\n {6}the server's program saw no 'accepted' within 1 s; it saw nothing\n/);
    assert.match(handshake, /\n {2}\(a fresh start on port 40002, with step 1 played again\)\n/);
    assert.match(handshake, /\n {6}#\d+ came from the peer, where nothing should have within 1 s\n/);
    assert.match(handshake, /\n {2}solution \(offered after 3 failed tries\): tcp flags=A seq=1001 ack=\$rx\.seq\+1\n {4}with this connection's numbers: tcp seq=1001 ack=\d+ flags=A\n {2}solution \(as asked\): tcp flags=A/);
    assert.match(handshake, /\n {2}\(the step is not passed by your answers; its solution was played so the next steps can be tried\)\n/);
    assert.match(handshake, /\n\nresult: 1 of 2 steps passed: the lesson is not passed \(step 2 failed\)\n$/);
    assert.doesNotMatch(handshake, /[\u4e00-\u9fff]/u);

    const close = play('lessons/04-four-way-close.md', wrongClose);
    assert.match(close, /\nStep 2\n {2}the lesson runs: send tcp flags=A seq=1001 ack=\$rx\.seq\+1\n {2}PASSED\n/);
    assert.match(close, /\n {2}\(a fresh start on port 40001, with steps 1-2 played again\)\n/);
    assert.match(close, /\nstep 4: The last ACK\n {2}\(no answer for this step\)\n/);
    assert.match(close, /\n\nresult: 3 of 4 steps passed: the lesson is not passed \(step 4 failed\)\n$/);
    assert.doesNotMatch(close, /[\u4e00-\u9fff]/u);
  });
});
