/**
 * What the lesson view itself says, in each language a pack may be written in. The lesson's
 * own sentences come from the lesson; these are the frame around them, and follow the
 * lesson's language where a translation exists (English otherwise).
 */
import { uiLanguage } from '../ui-language.js';

export interface LessonStrings {
  keysTitle: string;
  keyHint: string;
  keySolution: string;
  keyReset: string;
  keyNext: string;
  keyBack: string;
  keyEdit: string;
  keyLeave: string;
  keyHelp: string;
  editBar: string;
  commandBar: string;
  passedBar: string;
  runBar: string;
  stepHeading: (number: number, total: number, title: string) => string;
  runStep: string;
  noMoreHints: string;
  noHints: string;
  noSolution: string;
  solutionOffered: (tries: number) => string;
  solutionAgain: string;
  passFirst: string;
  firstStep: string;
  lessonPassed: string;
  lessonComplete: string;
  resumed: (step: number, total: number) => string;
  startedAgain: (step: number) => string;
  progressNotSaved: (message: string) => string;
  emptyCell: string;
  busy: string;
  statusStep: (number: number, total: number) => string;
  statusYou: string;
  statusServer: string;
  statusClient: string;
  stepStatus: Record<'pending' | 'failed' | 'passed' | 'solved', string>;
  tries: (count: number) => string;
  playedBySolution: string;
}

const en: LessonStrings = {
  keysTitle: 'Lesson keys (? or Esc to hide). In the cell, Enter sends; Esc leaves it for these:',
  keyHint: 'show the next hint',
  keySolution: 'show the solution; press s again to play it',
  keyReset: 'start this step again, on a fresh connection',
  keyNext: 'on to the next step (once this one is passed)',
  keyBack: 'back to the step before',
  keyEdit: 'back to the cell (Enter too, until the step is passed)',
  keyLeave: 'back to the lessons (progress is saved)',
  keyHelp: 'show or hide these keys',
  editBar: 'Enter send · Tab complete · Esc lesson keys (h hint, s solution, n next …)',
  commandBar: 'e edit · h hint · s solution · r reset · n next · b back · q lessons · ? keys',
  passedBar: 'Enter/n next step · r do it again · b back · q lessons · ? keys',
  runBar: 'Enter/n next step · r play it again · b back · q lessons · ? keys',
  stepHeading: (number, total, title) => {
    // A step without a heading of its own is titled "Step N": the count says that already.
    const rest = title.replace(/^step\s+\d+\s*(?:[:.]\s*|$)/i, '');
    return rest === '' ? `Step ${number} of ${total}` : `Step ${number} of ${total}: ${rest}`;
  },
  runStep: 'The lesson plays this step itself; watch what happens.',
  noMoreHints: 'No more hints for this step: s shows the solution.',
  noHints: 'This step has no hints: s shows the solution.',
  noSolution: 'This step has no solution to show.',
  solutionOffered: (tries) => `${tries} tries so far: the solution is there if you want it (Esc, then s).`,
  solutionAgain: 'Press s again to play the solution and go on; or type it yourself in the cell.',
  passFirst: 'Pass this step first (or play its solution with s, twice) before going on.',
  firstStep: 'This is the first step.',
  lessonPassed: 'Lesson passed: every step with your own segments. q goes back to the lessons.',
  lessonComplete: 'Lesson complete, some steps by their solutions. r on such a step tries it yourself; q goes back to the lessons.',
  resumed: (step, total) => `Welcome back: you are at step ${step} of ${total}.`,
  startedAgain: (step) => `Step ${step} starts again, on a fresh connection.`,
  progressNotSaved: (message) => `Your progress was not saved: ${message}`,
  emptyCell: 'The cell is empty: write a segment, e.g. tcp flags=S seq=1000',
  busy: 'working…',
  statusStep: (number, total) => `step ${number}/${total}`,
  statusYou: 'you',
  statusServer: 'server',
  statusClient: 'client',
  stepStatus: { pending: 'new', failed: 'not passed yet', passed: 'passed', solved: 'solved' },
  tries: (count) => (count === 1 ? '1 try' : `${count} tries`),
  playedBySolution: 'the solution',
};

const zhCN: LessonStrings = {
  keysTitle: '课程按键（? 或 Esc 隐藏）。在单元格里按 Enter 发送；按 Esc 离开单元格后可用：',
  keyHint: '显示下一条提示',
  keySolution: '显示参考答案；再按一次 s 直接执行它',
  keyReset: '在一条新连接上重做这一步',
  keyNext: '进入下一步（本步通过之后）',
  keyBack: '回到上一步',
  keyEdit: '回到单元格编辑（本步未通过时 Enter 也可以）',
  keyLeave: '回到课程列表（进度已保存）',
  keyHelp: '显示或隐藏这些按键',
  editBar: 'Enter 发送 · Tab 补全 · Esc 课程按键（h 提示，s 答案，n 下一步 …）',
  commandBar: 'e 编辑 · h 提示 · s 答案 · r 重做 · n 下一步 · b 上一步 · q 课程列表 · ? 按键',
  passedBar: 'Enter/n 下一步 · r 再做一次 · b 上一步 · q 课程列表 · ? 按键',
  runBar: 'Enter/n 下一步 · r 重新执行 · b 上一步 · q 课程列表 · ? 按键',
  stepHeading: (number, total, title) => {
    const rest = title.replace(/^(?:step\s+\d+|第\s*\d+\s*步)\s*(?:[:.：]\s*|$)/i, '');
    return rest === '' ? `第 ${number} 步（共 ${total} 步）` : `第 ${number} 步（共 ${total} 步）：${rest}`;
  },
  runStep: '这一步由课程自己执行，请观察发生了什么。',
  noMoreHints: '这一步没有更多提示了：按 s 查看参考答案。',
  noHints: '这一步没有提示：按 s 查看参考答案。',
  noSolution: '这一步没有参考答案。',
  solutionOffered: (tries) => `已经尝试 ${tries} 次：需要的话可以看参考答案（先按 Esc，再按 s）。`,
  solutionAgain: '再按一次 s 执行参考答案并继续；也可以自己在单元格里输入它。',
  passFirst: '请先通过这一步（或连按两次 s 执行参考答案），再进入下一步。',
  firstStep: '这已经是第一步。',
  lessonPassed: '本课通过：每一步都由你自己的报文段完成。按 q 回到课程列表。',
  lessonComplete: '本课完成，其中有些步骤是用参考答案通过的。在那些步骤上按 r 可以自己再做一次；按 q 回到课程列表。',
  resumed: (step, total) => `欢迎回来：你在第 ${step} 步（共 ${total} 步）。`,
  startedAgain: (step) => `第 ${step} 步在一条新连接上重新开始。`,
  progressNotSaved: (message) => `进度没有保存：${message}`,
  emptyCell: '单元格是空的：请写一个报文段，例如 tcp flags=S seq=1000',
  busy: '处理中…',
  statusStep: (number, total) => `第 ${number}/${total} 步`,
  statusYou: '你',
  statusServer: '服务器',
  statusClient: '客户端',
  stepStatus: { pending: '未开始', failed: '尚未通过', passed: '已通过', solved: '已用答案' },
  tries: (count) => `${count} 次尝试`,
  playedBySolution: '参考答案',
};

const TABLES = { en, 'zh-CN': zhCN } as const;

export function lessonStrings(language: string): LessonStrings {
  return TABLES[uiLanguage(language)];
}

/** Every table, for the test that holds each translation complete. */
export const LESSON_STRING_TABLES: Readonly<Record<string, LessonStrings>> = TABLES;
