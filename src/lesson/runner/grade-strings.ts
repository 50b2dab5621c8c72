// What `tcplab lesson --answers` prints around the verdicts, by language: the lesson's and
// each step's heading, what a run cell does, hints, solutions, notes on the answers, and the
// result. Chosen like the verdict's labels (verdictLanguage); the --json output keeps the
// English notes beside their facts.

import type { GradeNote } from './grade.js';
import { verdictLanguage, type VerdictLanguage } from './verdict-strings.js';

export interface GradeStrings {
  language: VerdictLanguage;
  lessonLine: (id: string, title: string, file: string) => string;
  answersLine: (name: string) => string;
  /** A step's heading from its title (the lesson's heading, or "Step N" when it has none). */
  stepHeading: (step: number, title: string) => string;
  lessonRuns: (commands: readonly string[]) => string;
  hint: string;
  noHints: string;
  noMoreHints: string;
  /** The label before a solution: asked for in the answers, or offered after `after` failed tries. */
  solution: (reason: 'requested' | 'offered', after: number) => string;
  /** Under a step passed by its solution after the answers failed it. */
  solutionPlayed: string;
  note: (note: GradeNote) => string;
  /** The last line; `miss` is the first step not passed, if any. */
  result: (passed: number, total: number, lessonPassed: boolean, miss: { step: number; outcome: 'failed' | 'not-reached' } | null) => string;
}

const en: GradeStrings = {
  language: 'en',
  lessonLine: (id, title, file) => `lesson ${id}: ${title} (${file})`,
  answersLine: (name) => `answers: ${name}`,
  stepHeading: (step, title) => (/^step\s+\d+/i.test(title) ? title : `step ${step}: ${title}`),
  lessonRuns: (commands) => `the lesson runs: ${commands.join('; ')}`,
  hint: 'hint',
  noHints: 'this step has no hints',
  noMoreHints: 'there are no more hints',
  solution: (reason, after) => `solution (${reason === 'offered' ? `offered after ${after} failed ${after === 1 ? 'try' : 'tries'}` : 'as asked'})`,
  solutionPlayed: 'the step is not passed by your answers; its solution was played so the next steps can be tried',
  note: (note) => (note.kind === 'no-answer' ? 'no answer for this step' : `${note.count === 1 ? '1 later try was' : `${note.count} later tries were`} not needed`),
  result: (passed, total, lessonPassed, miss) => {
    const why = miss === null ? '' : ` (step ${miss.step} ${miss.outcome === 'failed' ? 'failed' : 'was not reached'})`;
    return `result: ${passed} of ${total} steps passed: the lesson is ${lessonPassed ? 'passed' : `not passed${why}`}`;
  },
};

const zhCN: GradeStrings = {
  language: 'zh-CN',
  lessonLine: (id, title, file) => `课程 ${id}：${title}（${file}）`,
  answersLine: (name) => `答案：${name}`,
  stepHeading: (step, title) => {
    // "Step N" is what a step without a heading is called: its number is all there is to say.
    if (/^step\s+\d+$/i.test(title)) return `第 ${step} 步`;
    return /^(step\s+\d+|第\s*\d+\s*步)/i.test(title) ? title : `第 ${step} 步：${title}`;
  },
  lessonRuns: (commands) => `课程自动执行：${commands.join('；')}`,
  hint: '提示',
  noHints: '这一步没有提示',
  noMoreHints: '没有更多提示了',
  solution: (reason, after) => `参考答案（${reason === 'offered' ? `失败 ${after} 次后给出` : '应要求给出'}）`,
  solutionPlayed: '你的答案没有通过这一步；已改为执行参考答案，以便接着评判后面的步骤',
  note: (note) => (note.kind === 'no-answer' ? '这一步没有答案' : `后面还有 ${note.count} 次尝试，没有用上`),
  result: (passed, total, lessonPassed, miss) => {
    const why = miss === null ? '' : `（第 ${miss.step} 步${miss.outcome === 'failed' ? '未通过' : '没有进行到'}）`;
    return `结果：${total} 步中通过了 ${passed} 步，本课${lessonPassed ? '通过' : `未通过${why}`}`;
  },
};

const TABLES: Record<VerdictLanguage, GradeStrings> = { en, 'zh-CN': zhCN };

export function gradeStrings(language?: string): GradeStrings {
  return TABLES[verdictLanguage(language)];
}
