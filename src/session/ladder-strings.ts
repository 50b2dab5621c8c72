// Every word the ladder diagram writes, by language, so a Chinese lesson's ladder reads
// "读到 5 字节" beside the server's lifeline rather than "received 5 bytes". Flags, numbers,
// addresses, field names (seq=, win=) and TCP state names are protocol words and are the same
// in every language; so is an errno name (ECONNRESET), which a learner looks up as it is.
//
// The Chinese phrases keep every run of Chinese characters short (ten at most) and set a
// space between Chinese and Latin text, as technical Chinese is usually typeset: the notes'
// column is 20 to 27 terminal columns wide, so a note wraps at those spaces and never has a
// run of Chinese cut in the middle of a word or a line opening on its punctuation.

import type { AppEventKind } from '../net/network.js';

export const LADDER_LANGUAGES = ['en', 'zh-CN'] as const;
export type LadderLanguage = (typeof LADDER_LANGUAGES)[number];

export interface LadderStrings {
  /** The names over the learner's lifeline and the bundled side's (a server, or a client when the learner serves). */
  headings: { learner: string; server: string; client: string };
  /** Where an arrow's flags go when it carries none. */
  noFlags: string;
  /** After an arrow's numbers: its sequence space was sent before. */
  resent: string;
  /** After an arrow's numbers: its IP or TCP checksum is wrong. */
  badChecksum: string;
  /** An arrow's label for a packet that is not TCP, or that could not be read at all. */
  notTcp: (protocol: number) => string;
  unreadable: string;
  /** Beside the bundled side's lifeline: what its application did. */
  app: Record<Exclude<AppEventKind, 'received' | 'error'>, string>;
  received: (bytes: number) => string;
  /** `message`: the network's, "ECONNRESET: the peer reset the connection (RST)" or any other. */
  error: (message: string | undefined) => string;
}

const en: LadderStrings = {
  headings: { learner: 'learner', server: 'server', client: 'client' },
  noFlags: 'none',
  resent: 'resent',
  badChecksum: 'bad cksum',
  notTcp: (protocol) => `not TCP (protocol ${protocol})`,
  unreadable: 'unreadable',
  app: { listening: 'listening', accepted: 'accepted', connected: 'connected', 'peer-closed': 'peer closed', closed: 'closed' },
  received: (bytes) => `received ${bytes} byte${bytes === 1 ? '' : 's'}`,
  error: (message) => `error: ${message ?? 'unknown'}`,
};

/**
 * What each socket error means, as describeSocketError words it in English (src/server/app-event.ts),
 * seen from the bundled side: 对方 is the learner.
 */
const ZH_SOCKET_ERRORS: Record<string, string> = {
  ECONNRESET: '对方用 RST 重置了连接',
  ECONNREFUSED: '对方拒绝连接，用 RST 回应了 SYN',
  EPIPE: '连接已断开：对方 RST 后程序还在写',
  ETIMEDOUT: '无应答：内核放弃重传',
  EHOSTUNREACH: '没有通往对方的路由',
  ENETUNREACH: '没有到对方网络的路由',
  EADDRINUSE: '地址和端口已被占用',
  EADDRNOTAVAIL: '没有接口拥有这个地址',
  EACCES: '1024 以下的端口需要特权',
};

/** The Chinese for a socket error the network worded in English; any other message as it came. */
function zhSocketError(message: string): string {
  const match = /^([A-Z][A-Z0-9]*): /.exec(message);
  const meaning = match === null ? undefined : ZH_SOCKET_ERRORS[match[1]!];
  return meaning === undefined ? message : `${match![1]} ${meaning}`;
}

const zhCN: LadderStrings = {
  headings: { learner: '你', server: '服务器', client: '客户端' },
  noFlags: '无标志位',
  resent: '重传',
  badChecksum: '校验和错误',
  notTcp: (protocol) => `非 TCP（协议号 ${protocol}）`,
  unreadable: '无法解析',
  app: { listening: '开始监听', accepted: '接受了连接', connected: '连接已建立', 'peer-closed': '读到流的结尾', closed: '套接字已关闭' },
  received: (bytes) => `读到 ${bytes} 字节`,
  error: (message) => `出错：${message === undefined ? '原因不明' : zhSocketError(message)}`,
};

const TABLES: Record<LadderLanguage, LadderStrings> = { en, 'zh-CN': zhCN };

export function ladderStrings(language: LadderLanguage = 'en'): LadderStrings {
  return TABLES[language];
}
