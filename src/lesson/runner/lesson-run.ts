// One learner going through one lesson, over a Session of its own on the chosen network. It
// has no screen: a UI (or `tcplab lesson`, or `pack validate`) drives it and subscribes to
// its state.
//
// A step the learner acts in is tried with submit(text): the text is read and built with the
// session's variables, the step's checks are held against it before it is sent (a failed
// check sends nothing), and once it is sent the step's expectations are evaluated in order.
// A run step is played by the lesson itself as soon as the learner reaches it.
//
// Rewinding. A real kernel cannot be taken back to an earlier moment, so every try at a step
// starts from the connection as it was when the step began: when that is no longer the case
// (an earlier try at this step was sent, the learner went back, the run was resumed), the
// lesson starts afresh: it resets the old connection (a RST, so the kernel forgets it), takes
// a new learner port, sets the lesson's server behaviour again, and replays the steps before
// this one: the learner's own passing answers, or a step's solution where the learner's
// answer no longer fits the new connection (it named numbers of the old one) or the step was
// never passed by the learner. The verdict notes that this happened.

import { formatEndpoint } from '../../server/app-event.js';
import type { Endpoint, Network } from '../../net/network.js';
import { renderLadder } from '../../session/ladder.js';
import { Session } from '../../session/session.js';
import { parseSegment } from '../../lang/segment-parser.js';
import type { Hint, Lesson, SourceText, Step } from '../format/schema.js';
import { evaluateExpectation, markNow, pass, type StepMark } from './expectations.js';
import { LessonPositionSchema, type LessonPosition, type StepRecord, type StepStatus } from './position.js';
import { releasePort, takePort } from '../../session/learner-ports.js';
import { runnerError, runnerStrings, type RunnerStrings } from './runner-strings.js';
import { buildLearnerSegment, failedChecks } from './segment-checks.js';
import type { Feedback, Restart, StepVerdict } from './verdict.js';
import { verdictStrings, type VerdictStrings } from './verdict-strings.js';

/** A verdict's notes are in English whatever the lesson's language, for graders. */
const ENGLISH = runnerStrings('en');

export interface LessonRunOptions {
  /** The IP version of segments that name no address; 4 unless set. */
  family?: 4 | 6;
  /** Columns the ladder is drawn in; 80 unless set. */
  width?: number;
  /** Where a saved run left off: the steps' records and the step shown. */
  resume?: LessonPosition;
}

export interface StepState extends StepRecord {
  kind: 'send' | 'run';
  /** The step's heading without its #s ("Step 1: SYN"), or "Step N". */
  title: string;
  /** What the learner's editor holds: the template at first, then what they last submitted or typed. */
  draft: string;
  /** Failed tries have reached the lesson's solutionAfter: the UI offers the solution. */
  solutionOffered: boolean;
  /** The latest verdict at this step, in this run. */
  verdict: StepVerdict | null;
}

export interface LessonRunState {
  lessonId: string;
  /** The step shown, from 1. */
  current: number;
  /** A try, a replay or a run step is under way; calls made meanwhile wait their turn. */
  busy: boolean;
  steps: readonly StepState[];
  /** Every step passed by the learner (run steps by the lesson). */
  passed: boolean;
  /** Every step passed or solved: the end of the lesson is reached. */
  complete: boolean;
  /** The learner's address and port now. */
  me: Endpoint;
}

export interface SolutionView {
  /** The solution as the lesson wrote it, e.g. `tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1`. */
  text: string;
  at: SourceText['at'];
  /** The same with this connection's numbers in, when it can be built now. */
  resolved: string | null;
}

/** A step or lesson that cannot be played at all (a call out of turn). */
export class LessonRunError extends Error {
  override name = 'LessonRunError';
}

interface Attempt {
  passed: boolean;
  sent: boolean;
  /** Whether the text was read, built and checked: a try that counts. */
  judged: boolean;
  segment: StepVerdict['segment'];
  feedback: Feedback[];
  successes: string[];
}

interface MutableStep {
  record: StepRecord;
  draft: string;
  verdict: StepVerdict | null;
}

const ENDED_STATES = new Set(['CLOSED', 'LISTEN', 'TIME-WAIT']);

export class LessonRun {
  private readonly steps: MutableStep[];
  private cursor = 0;
  /** The connection is at the start of step `at` (0-based), or past it when `dirty`. */
  private live = { at: 0, dirty: false };
  private busy = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(state: LessonRunState) => void>();
  private readonly width: number;
  private closed = false;
  /** The fresh start a reset made before the step's next verdict: it goes with that verdict. */
  private pendingRestarts: Restart[] = [];
  /** The run's own sentences (the session log's notes) and the ladder's words in the lesson's language. */
  private readonly told: RunnerStrings;
  private readonly labels: VerdictStrings;

  /** A run at the lesson's first step (or where `resume` left off), on a fresh port of `network`. */
  static async open(lesson: Lesson, network: Network, options: LessonRunOptions = {}): Promise<LessonRun> {
    const port = takePort(network);
    let session: Session;
    try {
      session = await Session.open(network, { server: lesson.server, port, ...(options.family !== undefined ? { family: options.family } : {}), ...(options.width !== undefined ? { width: options.width } : {}) });
    } catch (error) {
      releasePort(network, port);
      throw error;
    }
    const run = new LessonRun(lesson, session, options);
    await run.exclusive(() => run.arrive());
    return run;
  }

  private constructor(
    readonly lesson: Lesson,
    private sessionNow: Session,
    options: LessonRunOptions,
  ) {
    this.width = options.width ?? 80;
    this.told = runnerStrings(lesson.meta.language);
    this.labels = verdictStrings(lesson.meta.language);
    this.steps = lesson.steps.map((step) => ({ record: freshRecord(step), draft: step.action.kind === 'send' ? (step.action.template?.text ?? '') : '', verdict: null }));
    if (options.resume !== undefined) this.restore(options.resume);
  }

  /** The session the lesson runs in: its log is what the learner sees happen. */
  get session(): Session {
    return this.sessionNow;
  }

  get network(): Network {
    return this.sessionNow.network;
  }

  /** The step shown. */
  get step(): Step {
    return this.lesson.steps[this.cursor]!;
  }

  get state(): LessonRunState {
    const steps = this.lesson.steps.map((step, i) => this.stepState(step, i));
    return {
      lessonId: this.lesson.meta.id,
      current: this.cursor + 1,
      busy: this.busy,
      steps,
      passed: steps.every((step) => step.status === 'passed'),
      complete: steps.every((step) => step.status === 'passed' || step.status === 'solved'),
      me: this.sessionNow.me,
    };
  }

  /** Told of every change of state; returns the way to stop listening. */
  subscribe(listener: (state: LessonRunState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Where the run is, to save and to resume from. */
  position(): LessonPosition {
    return { lesson: this.lesson.meta.id, step: this.cursor + 1, steps: this.steps.map((step) => ({ ...step.record })) };
  }

  /** Keeps what the learner has typed so far (it becomes what submit() sends without an argument). */
  setDraft(text: string): void {
    const step = this.steps[this.cursor]!;
    if (step.draft === text) return;
    step.draft = text;
    this.notify();
  }

  /**
   * The learner's try at the step shown: checks, then (if they hold) the segment is sent and
   * the expectations evaluated. Resolves to the verdict; a run step takes no text.
   */
  submit(text?: string): Promise<StepVerdict> {
    return this.exclusive(async () => {
      const index = this.cursor;
      const step = this.lesson.steps[index]!;
      if (step.action.kind !== 'send') throw new LessonRunError(`step ${step.number} is played by the lesson: it takes no segment`);
      const tried = text ?? this.steps[index]!.draft;
      this.steps[index]!.draft = tried;
      return this.play(index, tried, 'learner');
    });
  }

  /** The next hint of the step shown, now revealed; null when every hint is out. */
  hint(): Hint | null {
    const step = this.steps[this.cursor]!;
    const hint = this.step.hints[step.record.hintsShown];
    if (hint === undefined) return null;
    step.record.hintsShown += 1;
    this.notify();
    return hint;
  }

  /** The hints revealed so far at the step shown, in order. */
  shownHints(): Hint[] {
    return this.step.hints.slice(0, this.steps[this.cursor]!.record.hintsShown);
  }

  /** The step's solution, now marked as shown; null for a run step. Available whenever asked. */
  solution(): SolutionView | null {
    const solution = this.step.solution;
    if (solution === null) return null;
    const step = this.steps[this.cursor]!;
    if (!step.record.solutionShown) {
      step.record.solutionShown = true;
      this.notify();
    }
    const built = buildLearnerSegment(this.sessionNow, solution.text);
    return { text: solution.text, at: solution.at, resolved: built.ok ? built.text.segment : null };
  }

  /**
   * Plays the step's solution so the learner can go on: the step is then solved, not passed
   * (unless the learner had passed it before). Tries are not counted.
   */
  playSolution(): Promise<StepVerdict> {
    return this.exclusive(async () => {
      const index = this.cursor;
      const solution = this.lesson.steps[index]!.solution;
      if (solution === null) throw new LessonRunError(`step ${index + 1} has no solution to play`);
      this.steps[index]!.record.solutionShown = true;
      return this.play(index, solution.text, 'solution');
    });
  }

  /** On to the next step, once the one shown is passed or solved. False when it cannot move. */
  next(): Promise<boolean> {
    return this.exclusive(async () => {
      const status = this.steps[this.cursor]!.record.status;
      if (this.cursor + 1 >= this.steps.length || (status !== 'passed' && status !== 'solved')) return false;
      this.cursor += 1;
      this.pendingRestarts = [];
      this.notify();
      await this.arrive();
      return true;
    });
  }

  /**
   * Back to the step before, to read it or to do it again. Nothing happens on the network
   * until the learner tries it: then the connection starts afresh (see the top of this file).
   */
  back(): Promise<boolean> {
    return this.exclusive(async () => {
      if (this.cursor === 0) return false;
      this.cursor -= 1;
      this.pendingRestarts = [];
      this.notify();
      return true;
    });
  }

  /**
   * The step shown from its beginning again: a fresh connection, the steps before it replayed.
   * A run step is played again; resolves to its verdict (null for a step the learner acts in).
   */
  resetStep(): Promise<StepVerdict | null> {
    return this.exclusive(async () => {
      const index = this.cursor;
      const restarts: Restart[] = [];
      const failure = await this.rewind(index, restarts);
      if (failure !== null) return this.finish(index, null, 'lesson', failure, restarts);
      if (this.lesson.steps[index]!.action.kind === 'run') return this.play(index, null, 'lesson', restarts);
      // Told with the step's next verdict.
      this.pendingRestarts = restarts;
      return null;
    });
  }

  /** Resets the learner's connection, so the kernel forgets it, and stops listening. The network stays open. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.abandonConnection();
      this.sessionNow.close();
      releasePort(this.network, this.sessionNow.me.port);
    });
  }

  // --- playing steps -------------------------------------------------------------------

  /** Arriving at a step: a run step not yet passed is played at once. */
  private async arrive(): Promise<void> {
    const step = this.lesson.steps[this.cursor]!;
    const status = this.steps[this.cursor]!.record.status;
    if (step.action.kind === 'run' && status !== 'passed') await this.play(this.cursor, null, 'lesson');
  }

  private async play(index: number, text: string | null, by: StepVerdict['by'], restarts: Restart[] = []): Promise<StepVerdict> {
    if (this.closed) throw new LessonRunError('the lesson run is closed');
    if (this.live.at !== index || this.live.dirty) {
      const failure = await this.rewind(index, restarts);
      if (failure !== null) return this.finish(index, text, by, failure, restarts);
    }
    const attempt = await this.attempt(index, text);
    const record = this.steps[index]!.record;
    if (by === 'learner' && attempt.judged) {
      record.tries += 1;
      if (!attempt.passed) record.failedTries += 1;
    }
    if (attempt.passed) {
      if (by === 'solution') {
        if (record.status !== 'passed') record.status = 'solved';
      } else {
        record.status = 'passed';
        if (by === 'learner') record.answer = text;
      }
    } else if (attempt.judged && record.status === 'pending') {
      record.status = 'failed';
    } else if (by === 'lesson' && record.status !== 'passed') {
      record.status = 'failed';
    }
    return this.finish(index, text, by, attempt, restarts);
  }

  private finish(index: number, text: string | null, by: StepVerdict['by'], attempt: Attempt, restarts: Restart[]): StepVerdict {
    const record = this.steps[index]!.record;
    const fresh = [...this.pendingRestarts, ...restarts];
    this.pendingRestarts = [];
    const verdict: StepVerdict = {
      step: index + 1,
      attempt: by === 'learner' && attempt.judged ? record.tries : 0,
      text,
      by,
      passed: attempt.passed,
      sent: attempt.sent,
      segment: attempt.segment,
      feedback: attempt.feedback,
      successes: attempt.successes,
      notes: fresh.map((restart) => ENGLISH.restart(restart)),
      restarts: fresh,
      ladder: this.ladder(),
    };
    this.steps[index]!.verdict = verdict;
    return verdict;
  }

  /** One try at a step on the connection as it is: what a try does, without counting or rewinding. */
  private async attempt(index: number, text: string | null): Promise<Attempt> {
    const step = this.lesson.steps[index]!;
    const session = this.sessionNow;
    const result: Attempt = { passed: false, sent: false, judged: false, segment: null, feedback: [], successes: [] };
    let mark: StepMark;
    if (step.action.kind === 'send') {
      const built = buildLearnerSegment(session, text ?? '');
      if (!built.ok) {
        result.feedback.push(built.feedback);
        return result;
      }
      result.judged = true;
      result.segment = built.text;
      const failures = failedChecks(session, this.lesson.file, step.checks, built);
      if (failures.length > 0) {
        result.feedback.push(...failures);
        return result;
      }
      mark = markNow(session);
      this.live.dirty = true;
      // Echoed as the REPL echoes `send`, so the log reads the same whether typed there or here.
      const written = (text ?? '').trim();
      session.append({ kind: 'command', line: /^send\s/i.test(written) ? written : `send ${written}` });
      const sent = await session.send(built.packet);
      if (!sent.ok) {
        const facts = { kind: 'not-sent', reason: sent.reason } as const;
        result.feedback.push(runnerError(facts));
        session.append({ kind: 'error', message: this.told.error(facts, null), input: written });
        return result;
      }
      result.sent = true;
    } else {
      result.judged = true;
      mark = markNow(session);
      this.live.dirty = true;
      for (const command of step.action.commands) {
        const failure = await this.runCommand(command);
        if (failure !== null) {
          result.feedback.push(failure);
          return result;
        }
      }
    }
    const context = { session, mark, bundled: this.lesson.meta.role === 'server' ? ('client' as const) : ('server' as const) };
    for (const expectation of step.expectations) {
      const outcome = await evaluateExpectation(context, expectation);
      if (!outcome.ok) {
        result.feedback.push(outcome.feedback);
        return result;
      }
      if (outcome.success !== null) result.successes.push(outcome.success);
    }
    result.passed = true;
    this.live = { at: index + 1, dirty: false };
    return result;
  }

  private async runCommand(command: Extract<Step['action'], { kind: 'run' }>['commands'][number]): Promise<Feedback | null> {
    const session = this.sessionNow;
    switch (command.command) {
      case 'wait':
        session.append({ kind: 'command', line: command.line.text });
        await pass(this.network, command.ms);
        return null;
      case 'reset':
        session.append({ kind: 'command', line: command.line.text });
        this.movePort();
        return null;
      case 'server':
      case 'connect':
      case 'send': {
        const { status, entries } = await session.execute(command.line.text);
        if (status === 'ok') return null;
        const error = entries.find((entry) => entry.kind === 'error');
        const why = error?.kind === 'error' ? error.message : status;
        return runnerError({ kind: 'command-failed', line: command.line.text, reason: why }, command.line.at);
      }
    }
  }

  /**
   * Makes the connection what it was at the start of step `index`: a fresh port, the
   * lesson's server, and the steps before replayed. Null when done, else what went wrong.
   */
  private async rewind(index: number, restarts: Restart[]): Promise<Attempt | null> {
    // Steps whose learner answer did not fit the fresh connection once it was sent: played by their solution.
    const bySolution = new Set<number>();
    for (let round = 0; round <= index; round++) {
      await this.startAfresh();
      let restart = false;
      for (let i = 0; i < index && !restart; i++) {
        const step = this.lesson.steps[i]!;
        if (step.action.kind === 'run') {
          const ran = await this.attempt(i, null);
          if (!ran.passed) return replayFailure(i, ran, 'commands');
          continue;
        }
        const answer = bySolution.has(i) ? null : this.steps[i]!.record.answer;
        if (answer !== null) {
          const mine = await this.attempt(i, answer);
          if (mine.passed) continue;
          bySolution.add(i);
          // Sent and failed: the connection is spoilt, start again with its solution. Stopped by a check: nothing left.
          if (mine.sent) {
            restart = true;
            continue;
          }
        }
        const solution = step.solution?.text;
        if (solution === undefined) return replayFailure(i, null, 'no-solution');
        const played = await this.attempt(i, solution);
        if (!played.passed) return replayFailure(i, played, 'solution');
      }
      if (restart) continue;
      const solved = [...bySolution].sort((a, b) => a - b).map((i) => i + 1);
      const neverPassed = this.lesson.steps.slice(0, index).flatMap((step, i) => (step.action.kind === 'send' && this.steps[i]!.record.answer === null ? [i + 1] : []));
      const fresh: Restart = {
        port: this.sessionNow.me.port,
        replayed: index,
        bySolution: [...new Set([...solved, ...neverPassed])].sort((a, b) => a - b),
        staleAnswers: solved.length > 0,
      };
      restarts.push(fresh);
      this.sessionNow.append({ kind: 'note', text: this.told.logLesson(this.told.restart(fresh)) });
      this.live = { at: index, dirty: false };
      return null;
    }
    return { passed: false, sent: false, judged: false, segment: null, feedback: [runnerError({ kind: 'replay-exhausted', step: index + 1 })], successes: [] };
  }

  /** A new learner port with the lesson's server, the old connection reset so its kernel forgets it. */
  private async startAfresh(): Promise<void> {
    await this.abandonConnection();
    this.movePort();
    const session = this.sessionNow;
    if (JSON.stringify(session.serverBehaviour) !== JSON.stringify(this.lesson.server)) await session.useServer(this.lesson.server);
    this.live = { at: 0, dirty: false };
  }

  private movePort(): void {
    const session = this.sessionNow;
    const old = session.me.port;
    const port = takePort(this.network);
    releasePort(this.network, old);
    // Session.reset() moves one port on; it goes round the learner's ports, so this ends.
    while (session.me.port !== port) session.reset();
    session.append({ kind: 'note', text: this.told.logNewEndpoint(formatEndpoint(session.me)) });
  }

  /** A RST from the learner's side, so the peer's kernel drops a connection the lesson leaves. */
  private async abandonConnection(): Promise<void> {
    const session = this.sessionNow;
    const view = session.connection;
    if (ENDED_STATES.has(view.state) || view.peer === null || view.sndNxt === null) return;
    try {
      const packet = session.build(parseSegment(`tcp flags=R seq=${view.sndNxt} dport=${view.peer.port}`));
      session.append({ kind: 'note', text: this.told.logResetting(view.me.port) });
      await session.send(packet);
    } catch {
      // A connection that cannot be reset is left to time out: nothing the learner needs to know.
    }
  }

  // --- state ---------------------------------------------------------------------------

  private ladder(): string {
    const port = this.sessionNow.me.port;
    const mine = this.sessionNow.events.filter((event) => {
      if (event.type === 'packet') return (event.dir === 'out' ? event.packet.tcp?.sport : event.packet.tcp?.dport) === port;
      return event.remote?.port === port;
    });
    // Nothing exchanged yet (a step that only moved to a fresh port): no diagram of nothing.
    if (!mine.some((event) => event.type === 'packet')) return '';
    return renderLadder(mine, { width: this.width, language: this.labels.language });
  }

  private stepState(step: Step, i: number): StepState {
    const mutable = this.steps[i]!;
    return {
      ...mutable.record,
      kind: step.action.kind,
      title: stepTitle(step),
      draft: mutable.draft,
      solutionOffered: step.solution !== null && mutable.record.failedTries >= this.lesson.meta.solutionAfter,
      verdict: mutable.verdict,
    };
  }

  private restore(saved: LessonPosition): void {
    const parsed = LessonPositionSchema.safeParse(saved);
    if (!parsed.success || parsed.data.lesson !== this.lesson.meta.id) return;
    for (const record of parsed.data.steps) {
      const step = this.steps[record.number - 1];
      if (step === undefined) continue;
      // A lesson edited since: a step that no longer takes a segment keeps no answer.
      const sends = this.lesson.steps[record.number - 1]!.action.kind === 'send';
      step.record = { ...record, answer: sends ? record.answer : null };
      if (sends && record.answer !== null) step.draft = record.answer;
    }
    // Resume at the step saved, or at the first one not yet passed before it.
    const stop = this.steps.findIndex((step) => step.record.status !== 'passed' && step.record.status !== 'solved');
    const wanted = Math.min(parsed.data.step, this.steps.length) - 1;
    this.cursor = stop === -1 ? wanted : Math.min(wanted, stop);
  }

  private notify(): void {
    if (this.listeners.size === 0) return;
    const state = this.state;
    for (const listener of this.listeners) listener(state);
  }

  /** Runs `work` after every call made before it, with busy set meanwhile. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      this.busy = true;
      this.notify();
      try {
        return await work();
      } finally {
        this.busy = false;
        this.notify();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function freshRecord(step: Step): StepRecord {
  return { number: step.number, status: 'pending', tries: 0, failedTries: 0, hintsShown: 0, solutionShown: false, answer: null };
}

function replayFailure(index: number, attempt: Attempt | null, by: 'commands' | 'solution' | 'no-solution'): Attempt {
  const why = attempt?.feedback[0] ?? null;
  const at = why !== null && 'at' in why ? why.at : undefined;
  return { passed: false, sent: false, judged: false, segment: null, feedback: [runnerError({ kind: 'rebuild-failed', step: index + 1, by, cause: why }, at)], successes: [] };
}

/** "## Step 1: SYN" -> "Step 1: SYN"; "Step N" when the step's prose has no heading. */
export function stepTitle(step: Step): string {
  const heading = /^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(step.prose);
  return heading?.[1] ?? `Step ${step.number}`;
}

export type { StepStatus };
