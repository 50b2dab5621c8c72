// Log entries as plain text, for script mode and the line-mode REPL: what a learner reads
// when there is no Ink UI, and what a script's output holds.

import { pointAt, SegmentSyntaxError } from '../lang/syntax-error.js';
import { formatEndpoint } from '../server/app-event.js';
import type { CheckEntry, FieldFeedback, LogEntry, PacketText } from './log-entry.js';

export interface TextRenderOptions {
  /** Sequence numbers counted from each side's ISN, as plain tcpdump shows them; absolute by default. */
  relative?: boolean;
}

const INDENT = '  ';

/** One entry as text: one line, or several for a check, an error with its caret, or a text block. */
export function renderEntryText(entry: LogEntry, options: TextRenderOptions = {}): string {
  switch (entry.kind) {
    case 'command':
      return entry.line.trimStart().startsWith('#') ? entry.line : `> ${entry.line}`;
    case 'packet':
      return `${`#${entry.index}`.padStart(4)} ${clock(entry.t)} ${entry.dir.padEnd(3)} ${options.relative ? entry.relativeLine : entry.line}`;
    case 'app':
      return `${' '.repeat(4)} ${clock(entry.t)} app ${entry.text}`;
    case 'state': {
      const who = entry.side === 'learner' ? `you ${formatEndpoint(entry.local)}` : `kernel ${formatEndpoint(entry.local)}`;
      return `${' '.repeat(4)} ${clock(entry.t)} state ${who}: ${entry.from ?? 'new'} -> ${entry.to}`;
    }
    case 'text':
      return `[${entry.topic}: ${entry.title}]\n${entry.text}`;
    case 'check':
      return renderCheck(entry);
    case 'error':
      return renderError(entry.message, entry.input, entry.column, entry.length);
    case 'note':
      return `${INDENT}${entry.text}`;
  }
}

/** Seconds since the session began, right-aligned: "   0.012". */
function clock(ms: number): string {
  return (ms / 1000).toFixed(3).padStart(8);
}

function renderCheck(entry: CheckEntry): string {
  const verdict = entry.outcome === 'pass' ? 'ok' : entry.outcome === 'fail' ? 'FAILED' : 'TIMEOUT';
  const lines = [`${INDENT}${verdict}: ${entry.command}: ${entry.summary}`];
  if (entry.outcome === 'pass') return lines[0]!;
  const failing = entry.fields.filter((field) => !field.ok);
  const width = Math.max(0, ...failing.map((field) => field.field.length));
  for (const field of failing) lines.push(...renderField(field, width));
  if (entry.expected !== undefined) lines.push(...renderPacket('expected', entry.expected));
  if (entry.actual !== undefined) lines.push(...renderPacket('actual', entry.actual));
  return lines.join('\n');
}

function renderField(field: FieldFeedback, width: number): string[] {
  const name = field.field.padEnd(width);
  const pad = ' '.repeat(width);
  const note = (text: string | undefined) => (text === undefined ? '' : `  = ${text}`);
  const lines = [
    `${INDENT}${INDENT}${name}  expected ${field.expected}${note(field.expectedNote)}`,
    `${INDENT}${INDENT}${pad}  actual   ${field.actual}${note(field.actualNote)}`,
  ];
  for (const problem of field.problems ?? []) lines.push(`${INDENT}${INDENT}${pad}  ${problem}`);
  return lines;
}

function renderPacket(label: 'expected' | 'actual', packet: PacketText): string[] {
  const head = `${INDENT}${INDENT}${label.padEnd(8)}  `;
  return [`${head}${packet.segment}`, `${' '.repeat(head.length)}${packet.line}`];
}

function renderError(message: string, input: string, column?: number, length?: number): string {
  const lines = [`${INDENT}error: ${message}`];
  if (column !== undefined && column >= 1 && column <= input.length + 1) {
    const caret = pointAt(input, new SegmentSyntaxError('', { column, ...(length !== undefined ? { length } : {}) }));
    lines.push(...caret.split('\n').map((line) => `${INDENT}${INDENT}${line}`));
  }
  return lines.join('\n');
}
