// Every fixed phrase a verdict is told in, by language, so a learner in a Chinese lesson is
// told "未通过" rather than "FAILED". The lesson's own sentences are already in its language;
// the runner's own sentences (summaries, notes) are in runner-strings.ts, the ladder's words in
// the session's ladder-strings.ts, chosen by this table's language; what the session
// and the segment language say (a segment's syntax errors) stays as they wrote it.
// Segment-language text, flag names and field names (SYN, ACK, seq) are the same in every
// language.

export const VERDICT_LANGUAGES = ['en', 'zh-CN'] as const;
export type VerdictLanguage = (typeof VERDICT_LANGUAGES)[number];

export interface VerdictStrings {
  language: VerdictLanguage;
  /** Between a label and what it labels: "try 1: tcp ...", "error: ...". */
  colon: string;
  /** Who played the step: the learner's try N, the step's solution, or the lesson itself. */
  tryNumber: (attempt: number) => string;
  tryUnjudged: string;
  theSolution: string;
  theLesson: string;
  passed: (bySolution: boolean) => string;
  failed: string;
  failedChecks: (count: number) => string;
  failedInput: string;
  failedAfterSending: string;
  exchangeSoFar: string;
  yourSegmentAsSent: string;
  /** Labels of a feedback's first line: "check ack=$rx.seq+1", "silence". */
  check: string;
  silence: string;
  error: string;
  /** A field's two lines: "seq  expected 1001", "     actual   1002". */
  fieldExpected: string;
  fieldActual: string;
  /** The labels beside a packet. */
  packetExpected: string;
  packetYours: string;
  packetActual: string;
  packetCame: string;
  /** A remark beside the verdict: "(a fresh start on port 40001)". */
  aside: (text: string) => string;
  /** A sequence number as a distance from an ISN: "your ISN + 1". */
  isnDistance: (whose: 'your' | 'their', sign: '+' | '-', distance: string) => string;
  /** The lesson view's labels. */
  hint: (index: number, total: number) => string;
  solution: string;
  withThisConnection: string;
}

const en: VerdictStrings = {
  language: 'en',
  colon: ': ',
  tryNumber: (attempt) => `try ${attempt}`,
  tryUnjudged: 'try',
  theSolution: 'the solution',
  theLesson: 'the lesson',
  passed: (bySolution) => (bySolution ? 'PASSED (by its solution)' : 'PASSED'),
  failed: 'FAILED',
  failedChecks: (count) => `FAILED before sending: ${count === 1 ? '1 check does' : `${count} checks do`} not hold, so nothing was sent`,
  failedInput: 'FAILED: the segment cannot be built as written, so nothing was sent',
  failedAfterSending: 'FAILED: what followed was not what the lesson expects',
  exchangeSoFar: 'the exchange so far:',
  yourSegmentAsSent: 'your segment, as sent:',
  check: 'check',
  silence: 'silence',
  error: 'error',
  fieldExpected: 'expected',
  fieldActual: 'actual',
  packetExpected: 'expected',
  packetYours: 'yours',
  packetActual: 'actual',
  packetCame: 'came',
  aside: (text) => `(${text})`,
  isnDistance: (whose, sign, distance) => `${whose} ISN ${sign} ${distance}`,
  hint: (index, total) => `hint ${index} of ${total}`,
  solution: 'solution',
  withThisConnection: "with this connection's numbers",
};

const zhCN: VerdictStrings = {
  language: 'zh-CN',
  colon: '：',
  tryNumber: (attempt) => `第 ${attempt} 次尝试`,
  tryUnjudged: '尝试',
  theSolution: '参考答案',
  theLesson: '课程',
  passed: (bySolution) => (bySolution ? '通过（由参考答案完成）' : '通过'),
  failed: '未通过',
  failedChecks: (count) => `未通过：发送前有 ${count} 项检查不满足，报文段没有发出`,
  failedInput: '未通过：按你写的内容构造不出报文段，什么也没有发出',
  failedAfterSending: '未通过：接下来发生的情况与课程的预期不符',
  exchangeSoFar: '到目前为止的报文往来：',
  yourSegmentAsSent: '你实际发出的报文段：',
  check: '检查',
  silence: '静默',
  error: '错误',
  fieldExpected: '期望',
  fieldActual: '实际',
  packetExpected: '期望',
  packetYours: '你的',
  packetActual: '实际',
  packetCame: '收到',
  aside: (text) => `（${text}）`,
  isnDistance: (whose, sign, distance) => `${whose === 'your' ? '你的' : '对方的'} ISN ${sign} ${distance}`,
  hint: (index, total) => `提示 ${index}/${total}`,
  solution: '参考答案',
  withThisConnection: '代入本连接的实际数值',
};

const TABLES: Record<VerdictLanguage, VerdictStrings> = { en, 'zh-CN': zhCN };

/**
 * The table for a lesson's (or pack's) language tag: Simplified Chinese for zh, zh-CN,
 * zh-Hans and zh-Hans-CN, English for anything else (and when there is no tag).
 */
export function verdictStrings(language?: string): VerdictStrings {
  return TABLES[verdictLanguage(language)];
}

export function verdictLanguage(language?: string): VerdictLanguage {
  const tag = (language ?? '').trim().toLowerCase().replace(/_/g, '-');
  return tag === 'zh' || tag === 'zh-cn' || tag === 'zh-hans' || tag === 'zh-hans-cn' ? 'zh-CN' : 'en';
}

/**
 * A note the session wrote in English, "your ISN + 1" or "their ISN - 3", in the table's
 * language; any other note as it is.
 */
export function translateIsnNote(note: string, strings: VerdictStrings): string {
  const match = /^(your|their) ISN ([+-]) (\d+)$/.exec(note);
  return match === null ? note : strings.isnDistance(match[1] as 'your' | 'their', match[2] as '+' | '-', match[3]!);
}
