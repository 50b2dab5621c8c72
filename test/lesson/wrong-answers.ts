// A learner who gets the handshake and the close wrong in every way that happens after a
// segment is sent: a SYN and a FIN the kernel drops (a time-out), an ACK the server never
// accepts (an app event missing), an ACK with data where silence was due, a last ACK that
// leaves the server's socket in LAST-ACK (a wrong state), each try after them starting
// afresh, once with an answer that named the old connection's numbers. Played on sim, on the
// English lessons or their zh-CN translations, which have the same steps.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLesson } from '../../src/lesson/format/parse-lesson.js';
import type { Lesson } from '../../src/lesson/format/schema.js';
import { LessonRun } from '../../src/lesson/runner/lesson-run.js';
import type { StepVerdict } from '../../src/lesson/runner/verdict.js';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { projectRoot } from '../support/project-root.js';

export function courseLesson(path: string): Lesson {
  const parsed = parseLesson(readFileSync(join(projectRoot(), path), 'utf8'), path);
  assert.ok(parsed.ok, path);
  return parsed.lesson;
}

export interface WrongAnswers {
  handshake: Lesson;
  close: Lesson;
  /** Lesson 02, step 1: a SYN with a bad checksum, then the right one on a fresh connection. */
  synDropped: StepVerdict;
  synAgain: StepVerdict;
  /** Step 2: an ACK with a bad checksum (the server never accepts), then one with data. */
  neverAccepted: StepVerdict;
  silenceBroken: StepVerdict;
  /** Lesson 04, step 3: a FIN with a bad checksum, then one naming the server's ISN as a number. */
  finDropped: StepVerdict;
  finPassed: StepVerdict;
  /** Step 4: a last ACK with a bad checksum, then the right one (step 3 replayed by its solution). */
  stuckInLastAck: StepVerdict;
  lastAck: StepVerdict;
  /** The notes the runs wrote in the session's log (what the lesson view's transcript shows), in order. */
  logNotes: string[];
  /** Ports of the fresh starts, in order. */
  ports: { synAgain: number; silenceBroken: number; finPassed: number; lastAck: number };
}

export async function playWrongAnswers(dir: 'lessons' | 'lessons/zh-CN'): Promise<WrongAnswers> {
  const handshake = courseLesson(`${dir}/02-three-way-handshake.md`);
  const close = courseLesson(`${dir}/04-four-way-close.md`);
  const network = createSimNetwork({ seed: 7 });
  try {
    const one = await LessonRun.open(handshake, network);
    const synDropped = await one.submit('tcp flags=S seq=1000 chksum=1');
    const synAgain = await one.submit('tcp flags=S seq=1000');
    const synAgainPort = one.session.me.port;
    assert.equal(await one.next(), true);
    const neverAccepted = await one.submit('tcp flags=A seq=1001 ack=$rx.seq+1 chksum=1');
    const silenceBroken = await one.submit('tcp flags=A seq=1001 ack=$rx.seq+1 data="x"');
    const silenceBrokenPort = one.session.me.port;
    const logNotes = notesOf(one);
    await one.close();

    const two = await LessonRun.open(close, network);
    assert.equal(await two.next(), true);
    assert.equal(await two.next(), true);
    const finDropped = await two.submit('tcp flags=FA seq=1001 ack=$rx.seq+1 chksum=1');
    // Started afresh now, so the answer can name this connection's numbers, as a learner copying them would.
    await two.resetStep();
    const isn = two.session.currentRx()!.packet.tcp!.seq;
    const finPassed = await two.submit(`tcp flags=FA seq=1001 ack=${isn + 1}`);
    const finPassedPort = two.session.me.port;
    assert.equal(await two.next(), true);
    const stuckInLastAck = await two.submit('tcp flags=A seq=1002 ack=$rx.seq+1 chksum=1');
    const lastAck = await two.submit('tcp flags=A seq=1002 ack=$rx.seq+1');
    const lastAckPort = two.session.me.port;
    logNotes.push(...notesOf(two));
    await two.close();
    return {
      handshake,
      close,
      synDropped,
      synAgain,
      neverAccepted,
      silenceBroken,
      finDropped,
      finPassed,
      stuckInLastAck,
      lastAck,
      logNotes,
      ports: { synAgain: synAgainPort, silenceBroken: silenceBrokenPort, finPassed: finPassedPort, lastAck: lastAckPort },
    };
  } finally {
    await network.close();
  }
}

function notesOf(run: LessonRun): string[] {
  return run.session.log.flatMap((entry) => (entry.kind === 'note' ? [entry.text] : []));
}

/** Every verdict of the play, in order. */
export function verdictsOf(play: WrongAnswers): StepVerdict[] {
  return [play.synDropped, play.synAgain, play.neverAccepted, play.silenceBroken, play.finDropped, play.finPassed, play.stuckInLastAck, play.lastAck];
}

/** Latin-alphabet words that are rightly so in a Chinese verdict: field names, and the bundled server's name. */
const FIELD_WORDS = new Set(['seq', 'ack', 'flags', 'win', 'data', 'echo']);

/**
 * The Latin-alphabet words a Chinese learner would still be reading as English in `text`,
 * once what is rightly written in Latin letters is set aside: segment-language text (tries,
 * solutions, the lesson's lines and matchers), packet one-liners, the ladder's rows (arrows
 * labelled with flags and numbers, the server's states and events beside them), places
 * (file:line:column), and protocol words (SYN-ACK, LAST-ACK, ISN, accept()).
 */
export function englishLeft(text: string): string[] {
  const left: string[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line.startsWith('|')) continue;
    if (/^\S+\.\d+ > \S+\.\d+: /.test(line)) continue;
    if (/^[\d.]+:\d+\s+[\d.]+:\d+$/.test(line)) continue;
    line = line.replace(/\s*[(（][^()（）]*:\d+(:\d+)?[)）]/g, '');
    if (/^(recv|expect|app|state)\s/.test(line) && !/[\u4e00-\u9fff]/u.test(line)) continue;
    line = line.replace(/(^|[\s：:`])(send\s+)?tcp\s.*$/, '$1');
    line = line
      .replace(/"[^"]*"/g, ' ')
      .replace(/'[a-z-]+'/g, ' ')
      .replace(/\S+=\S+/g, ' ')
      .replace(/[#$][\w.+]+/g, ' ')
      .replace(/0x[0-9a-f]+/g, ' ')
      .replace(/\b\w+\(\)/g, ' ')
      .replace(/\b[A-Z][A-Z0-9]*(-[A-Z0-9]+)*\b/g, ' ');
    for (const word of line.match(/[A-Za-z]+/g) ?? []) if (!FIELD_WORDS.has(word)) left.push(word);
  }
  return left;
}
