/** What the home screen says, in the language of the first pack it lists (English otherwise). */
import { uiLanguage } from '../ui-language.js';

export interface HomeStrings {
  title: string;
  packProgress: (passed: number, total: number) => string;
  atStep: (step: number, total: number) => string;
  passedMark: string;
  repl: string;
  replSummary: string;
  keyBar: string;
  keysTitle: string;
  keys: ReadonlyArray<readonly [string, string]>;
  brokenPack: (count: number) => string;
  networkStarting: (kind: string) => string;
  networkReady: (note: string) => string;
  networkFailed: (message: string) => string;
  needsNetwork: (networks: string, current: string) => string;
  resumeHere: string;
  startHere: string;
  passedLesson: string;
  noPacks: string;
  moreAbove: (count: number) => string;
  moreBelow: (count: number) => string;
  opening: string;
  steps: (count: number) => string;
}

const en: HomeStrings = {
  title: 'tcplab: a terminal classroom for TCP',
  packProgress: (passed, total) => `${passed}/${total} passed`,
  atStep: (step, total) => `step ${step}/${total}`,
  passedMark: 'passed',
  repl: 'REPL: build and send any segment, freely',
  replSummary: 'The free-form packet REPL: send, sr1, recv, expect, ladder, follow. help lists the commands.',
  keyBar: '↑/↓ choose · Enter open · r REPL · q quit · ? keys',
  keysTitle: 'Keys (? or Esc to hide):',
  keys: [
    ['↑/↓  k/j', 'choose a lesson'],
    ['PgUp/PgDn', 'a page up or down'],
    ['Enter', 'open it: where you left off, or from the start'],
    ['r', 'open the REPL'],
    ['q  Ctrl-C', 'quit (progress is saved as you go)'],
  ],
  brokenPack: (count) => (count === 1 ? 'this pack has a mistake:' : `this pack has ${count} mistakes; the first:`),
  networkStarting: (kind) => `network: ${kind} starting…`,
  networkReady: (note) => note,
  networkFailed: (message) => `network: could not start: ${message}`,
  needsNetwork: (networks, current) => `This lesson runs on ${networks} only, and this tcplab runs on ${current}: start it with --net ${networks.split(' ')[0]}.`,
  resumeHere: 'Enter resumes where you left off.',
  startHere: 'Enter starts it.',
  passedLesson: 'Passed. Enter opens it again.',
  noPacks: 'No lesson packs found: tcplab pack add DIR adds one.',
  moreAbove: (count) => `↑ ${count} more`,
  moreBelow: (count) => `↓ ${count} more`,
  opening: 'opening…',
  steps: (count) => (count === 1 ? '1 step' : `${count} steps`),
};

const zhCN: HomeStrings = {
  title: 'tcplab：终端里的 TCP 课堂',
  packProgress: (passed, total) => `已通过 ${passed}/${total}`,
  atStep: (step, total) => `第 ${step}/${total} 步`,
  passedMark: '已通过',
  repl: 'REPL：自由构造并发送任意报文段',
  replSummary: '自由练习的报文 REPL：send、sr1、recv、expect、ladder、follow。输入 help 查看全部命令。',
  keyBar: '↑/↓ 选择 · Enter 打开 · r REPL · q 退出 · ? 按键',
  keysTitle: '按键（? 或 Esc 隐藏）：',
  keys: [
    ['↑/↓  k/j', '选择课程'],
    ['PgUp/PgDn', '上翻或下翻一页'],
    ['Enter', '打开：从上次停下的地方继续，或从头开始'],
    ['r', '打开 REPL'],
    ['q  Ctrl-C', '退出（进度随时保存）'],
  ],
  brokenPack: (count) => (count === 1 ? '这个课程包有一处错误：' : `这个课程包有 ${count} 处错误，第一处：`),
  networkStarting: (kind) => `网络：${kind} 启动中…`,
  networkReady: (note) => note,
  networkFailed: (message) => `网络：无法启动：${message}`,
  needsNetwork: (networks, current) => `这一课只能在 ${networks} 上运行，而当前的 tcplab 使用 ${current}：请用 --net ${networks.split(' ')[0]} 启动。`,
  resumeHere: '按 Enter 从上次停下的地方继续。',
  startHere: '按 Enter 开始。',
  passedLesson: '已通过。按 Enter 可以再做一次。',
  noPacks: '没有找到课程包：用 tcplab pack add DIR 添加。',
  moreAbove: (count) => `↑ 还有 ${count} 项`,
  moreBelow: (count) => `↓ 还有 ${count} 项`,
  opening: '正在打开…',
  steps: (count) => `${count} 步`,
};

const TABLES = { en, 'zh-CN': zhCN } as const;

export function homeStrings(language: string): HomeStrings {
  return TABLES[uiLanguage(language)];
}

export const HOME_STRING_TABLES: Readonly<Record<string, HomeStrings>> = TABLES;
