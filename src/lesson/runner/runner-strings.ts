// The sentences the runner makes itself, by language: what came (or did not) after a segment
// went out, why something could not run, what a fresh start did. A verdict keeps them as facts
// (verdict.ts) with the English sentence beside, for graders; a learner is told them in the
// lesson's language. Reasons handed up by the session or the network, segment text, state
// names and event names stay as they were given.

import type { TcpState } from '../../net/network.js';
import type { Position } from '../format/lesson-error.js';
import type { AppFacts, Bundled, DataText, ErrorFacts, ErrorFeedback, Feedback, ReplyFacts, Restart, StepVerdict } from './verdict.js';
import { verdictLanguage, type VerdictLanguage } from './verdict-strings.js';

export interface RunnerStrings {
  language: VerdictLanguage;
  /** A wait on the network's clock: "1 s", "0.3 s". */
  seconds: (ms: number) => string;
  reply: (facts: ReplyFacts) => string;
  app: (bundled: Bundled, facts: AppFacts) => string;
  state: (bundled: Bundled, expected: TcpState, actual: TcpState | null, timeoutMs: number) => string;
  silence: (index: number, silenceMs: number) => string;
  unbuildable: (reason: string) => string;
  /** `cause`: why the replayed step failed, already told. */
  error: (facts: ErrorFacts, cause: string | null) => string;
  /** A check that stopped a replayed step. */
  checkDidNotHold: (matcher: string) => string;
  restart: (restart: Restart) => string;
  /** Lines the run writes in the session's log. */
  logLesson: (text: string) => string;
  logNewEndpoint: (endpoint: string) => string;
  logResetting: (port: number) => string;
}

const enSeconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;
const enData = (data: DataText) => `${data.text} (${data.bytes} ${data.bytes === 1 ? 'byte' : 'bytes'})`;
const enStepRange = (last: number) => (last === 1 ? 'step 1' : `steps 1-${last}`);

const en: RunnerStrings = {
  language: 'en',
  seconds: enSeconds,
  reply: (facts) => {
    switch (facts.kind) {
      case 'no-match': {
        const within = enSeconds(facts.timeoutMs);
        const summary =
          facts.matcher !== ''
            ? `nothing from the peer matched ${facts.matcher} within ${within}`
            : facts.command === 'sr1'
              ? `nothing came back within ${within}`
              : `nothing came from the peer within ${within}`;
        return facts.closest === null ? summary : `${summary}; the closest was #${facts.closest}`;
      }
      case 'mismatch':
        return `#${facts.index} does not match: ${facts.differing} of ${facts.checked} ${facts.checked === 1 ? 'field differs' : 'fields differ'}`;
      case 'nothing-yet':
        return 'nothing has come from the peer yet, so there is no $rx to check';
    }
  },
  app: (bundled, facts) => {
    const program = `the ${bundled}'s program`;
    switch (facts.kind) {
      case 'read-nothing':
        return `${program} read nothing within ${enSeconds(facts.timeoutMs)}`;
      case 'read-other':
        return `${program} read ${enData(facts.read)}, not ${facts.wanted === null ? 'anything' : enData(facts.wanted)}`;
      case 'event-missing': {
        const seen = facts.seen.length === 0 ? 'nothing' : facts.seen.join(', ');
        const told = `${program} saw no '${facts.event}' within ${enSeconds(facts.timeoutMs)}; it saw ${seen}`;
        return facts.error === null ? told : `${told} (${facts.error})`;
      }
    }
  },
  state: (bundled, expected, actual, timeoutMs) =>
    actual === null
      ? `there is no ${bundled} socket facing you (waited ${enSeconds(timeoutMs)} for ${expected})`
      : `the ${bundled}'s socket facing you is ${actual}, not ${expected} (waited ${enSeconds(timeoutMs)})`,
  silence: (index, silenceMs) => `#${index} came from the peer, where nothing should have within ${enSeconds(silenceMs)}`,
  unbuildable: (reason) => `this segment cannot be built: ${reason}`,
  error: (facts, cause) => {
    switch (facts.kind) {
      case 'line-failed':
        return `the lesson's line ${facts.line} could not run: ${facts.reason}`;
      case 'command-failed':
        return `the lesson's command ${facts.line} could not run: ${facts.reason}`;
      case 'not-sent':
        return `the segment was not sent: ${facts.reason}`;
      case 'check-unreadable':
        return `the lesson's check cannot be read: ${facts.reason}`;
      case 'check-unresolved':
        return `the check ${facts.matcher} cannot be evaluated now: ${facts.reason}`;
      case 'rebuild-failed': {
        const what = facts.by === 'commands' ? 'its commands' : facts.by === 'solution' ? 'its solution' : 'its solution: it has none';
        return `the connection could not be rebuilt: step ${facts.step} did not pass again with ${what}${cause === null ? '' : `: ${cause}`}`;
      }
      case 'replay-exhausted':
        return `the steps before step ${facts.step} could not be played again`;
    }
  },
  checkDidNotHold: (matcher) => `the check ${matcher} did not hold`,
  restart: ({ port, replayed, bySolution, staleAnswers }) => {
    let note = replayed === 0 ? `a fresh start on port ${port}` : `a fresh start on port ${port}, with ${enStepRange(replayed)} played again`;
    if (bySolution.length > 0) {
      const steps = bySolution.map((n) => `step ${n}`).join(', ');
      note += ` (${steps} by ${bySolution.length === 1 ? 'its solution' : 'their solutions'}${staleAnswers ? ': your answer named numbers of the old connection' : ''})`;
    }
    return note;
  },
  logLesson: (text) => `lesson: ${text}`,
  logNewEndpoint: (endpoint) => `a fresh start: you are now ${endpoint}`,
  logResetting: (port) => `lesson: resetting the connection from port ${port}, so the peer's kernel forgets it`,
};

const zhSeconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} 秒`;
const zhData = (data: DataText) => `${data.text}（${data.bytes} 字节）`;
const zhProgram = (bundled: Bundled) => (bundled === 'server' ? '服务器程序' : '客户端程序');
const zhSide = (bundled: Bundled) => (bundled === 'server' ? '服务器' : '客户端');
const zhSteps = (steps: readonly number[]) => `第 ${steps.join('、')} 步`;

const zhCN: RunnerStrings = {
  language: 'zh-CN',
  seconds: zhSeconds,
  reply: (facts) => {
    switch (facts.kind) {
      case 'no-match': {
        const within = zhSeconds(facts.timeoutMs);
        const summary =
          facts.matcher !== ''
            ? `${within}内没有收到对方发来的符合 ${facts.matcher} 的报文`
            : facts.command === 'sr1'
              ? `${within}内没有收到回复`
              : `${within}内对方什么也没有发来`;
        return facts.closest === null ? summary : `${summary}；最接近的是 #${facts.closest}`;
      }
      case 'mismatch':
        return `#${facts.index} 不符合：所查的 ${facts.checked} 个字段中有 ${facts.differing} 个不同`;
      case 'nothing-yet':
        return '对方还没有发来任何报文，所以没有 $rx 可以检查';
    }
  },
  app: (bundled, facts) => {
    const program = zhProgram(bundled);
    switch (facts.kind) {
      case 'read-nothing':
        return `${program}在 ${zhSeconds(facts.timeoutMs)}内什么也没有读到`;
      case 'read-other':
        return `${program}读到的是 ${zhData(facts.read)}，而不是${facts.wanted === null ? '任意数据' : ` ${zhData(facts.wanted)}`}`;
      case 'event-missing': {
        const seen = facts.seen.length === 0 ? '它什么事件也没有' : `只等到了 ${facts.seen.map((event) => `'${event}'`).join('、')}`;
        const told = `${zhSeconds(facts.timeoutMs)}内没有等到${program}的 '${facts.event}' 事件，${seen}`;
        return facts.error === null ? told : `${told}（${facts.error}）`;
      }
    }
  },
  state: (bundled, expected, actual, timeoutMs) =>
    actual === null
      ? `${zhSide(bundled)}上没有与你相连的套接字（等了 ${zhSeconds(timeoutMs)}，等它进入 ${expected}）`
      : `${zhSide(bundled)}上与你相连的套接字处于 ${actual} 状态，而不是 ${expected}（等了 ${zhSeconds(timeoutMs)}）`,
  silence: (index, silenceMs) => `${zhSeconds(silenceMs)}内本不该有任何报文，对方却发来了 #${index}`,
  unbuildable: (reason) => `这个报文段构造不出来：${reason}`,
  error: (facts, cause) => {
    switch (facts.kind) {
      case 'line-failed':
        return `课程中的 ${facts.line} 这一行无法执行：${facts.reason}`;
      case 'command-failed':
        return `课程中的命令 ${facts.line} 无法执行：${facts.reason}`;
      case 'not-sent':
        return `报文段没有发出去：${facts.reason}`;
      case 'check-unreadable':
        return `课程中的这项检查无法读懂：${facts.reason}`;
      case 'check-unresolved':
        return `检查 ${facts.matcher} 现在还无法求值：${facts.reason}`;
      case 'rebuild-failed':
        if (facts.by === 'no-solution') return `连接无法重建：第 ${facts.step} 步需要用参考答案重新执行，但它没有参考答案`;
        return `连接无法重建：用${facts.by === 'commands' ? '它自己的命令' : '参考答案'}重新执行第 ${facts.step} 步时没有通过${cause === null ? '' : `：${cause}`}`;
      case 'replay-exhausted':
        return `第 ${facts.step} 步之前的步骤无法重新执行`;
    }
  },
  checkDidNotHold: (matcher) => `检查 ${matcher} 不满足`,
  restart: ({ port, replayed, bySolution, staleAnswers }) => {
    let note = `在端口 ${port} 上重新开始`;
    if (replayed > 0) note += `，前面的${replayed === 1 ? '第 1 步' : `第 1 至 ${replayed} 步`}已重新执行`;
    if (bySolution.length > 0) note += `，其中${zhSteps(bySolution)}用的是参考答案${staleAnswers ? '，因为你的答案里写的是旧连接的数值' : ''}`;
    return note;
  },
  logLesson: (text) => `课程：${text}`,
  logNewEndpoint: (endpoint) => `重新开始：你现在是 ${endpoint}`,
  logResetting: (port) => `课程：从端口 ${port} 复位这条连接，让对方内核忘掉它`,
};

const TABLES: Record<VerdictLanguage, RunnerStrings> = { en, 'zh-CN': zhCN };

/** The table for a lesson's language tag, chosen as the verdict's labels are (verdictLanguage). */
export function runnerStrings(language?: string): RunnerStrings {
  return TABLES[verdictLanguage(language)];
}

/** What happened instead of what a reply, app, state or silence line asked for. */
export function tellSummary(feedback: Extract<Feedback, { kind: 'reply' | 'app' | 'state' | 'silence' }>, r: RunnerStrings): string {
  switch (feedback.kind) {
    case 'reply':
      return r.reply(feedback.facts);
    case 'app':
      return r.app(feedback.bundled, feedback.facts);
    case 'state':
      return r.state(feedback.bundled, feedback.expected, feedback.actual, feedback.timeoutMs);
    case 'silence':
      return r.silence(feedback.index, feedback.silenceMs);
  }
}

/** An error or unreadable text's message: the runner's own in the language, any other as it came. */
export function tellMessage(feedback: Extract<Feedback, { kind: 'input' | 'error' }>, r: RunnerStrings): string {
  if (feedback.facts === undefined) return feedback.message;
  if (feedback.facts.kind === 'unbuildable') return r.unbuildable(feedback.facts.reason);
  const cause = feedback.facts.kind === 'rebuild-failed' && feedback.facts.cause !== null ? tellBriefly(feedback.facts.cause, r) : null;
  return r.error(feedback.facts, cause);
}

/** One feedback in a clause, as the reason a replayed step did not pass. */
export function tellBriefly(feedback: Feedback, r: RunnerStrings): string {
  switch (feedback.kind) {
    case 'check':
      return r.checkDidNotHold(feedback.matcher);
    case 'reply':
    case 'app':
    case 'state':
    case 'silence':
      return tellSummary(feedback, r);
    case 'input':
    case 'error':
      return tellMessage(feedback, r);
  }
}

/** A verdict's notes in the language: its restarts, told (in English they are its `notes`). */
export function tellNotes(verdict: StepVerdict, r: RunnerStrings): string[] {
  return verdict.restarts.map((restart) => r.restart(restart));
}

/** Something the runner could not do: its facts, and its `message` told in English for graders. */
export function runnerError(facts: ErrorFacts, at?: Position): ErrorFeedback {
  const feedback: ErrorFeedback = { kind: 'error', message: '', ...(at !== undefined ? { at } : {}), facts };
  feedback.message = tellMessage(feedback, en);
  return feedback;
}
