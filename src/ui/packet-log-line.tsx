import { Box, Text } from 'ink';
import { formatEndpoint } from '../server/app-event.js';
import type { CheckEntry, FieldFeedback, LogEntry, PacketText, StateEntry } from '../session/log-entry.js';
import { caretLine } from './prompt-layout.js';
import { THEME } from './theme.js';

/** Seconds on the session's clock, as the log's left margin shows them. */
export function formatTime(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/**
 * One entry of the log. A packet is one line, its tcpdump text wrapped under itself when the
 * terminal is narrow, so the arrow and the number stay in their own column.
 */
export function LogLine({ entry, previous, relative = false }: { entry: LogEntry; previous?: LogEntry | undefined; relative?: boolean }) {
  switch (entry.kind) {
    case 'command':
      return (
        <Text>
          <Text color={THEME.promptSign}>{'› '}</Text>
          <Text bold>{entry.line}</Text>
        </Text>
      );
    case 'packet': {
      const out = entry.dir === 'out';
      const color = out ? THEME.learner : THEME.server;
      return (
        <Box>
          <Box flexShrink={0}>
            <Text color={color}>{`${out ? '→' : '←'} #${String(entry.index).padEnd(3)} ${formatTime(entry.t)} `}</Text>
          </Box>
          <Text color={color} wrap="wrap">
            {relative ? entry.relativeLine : entry.line}
          </Text>
        </Box>
      );
    }
    case 'app':
      return <Indented marker="◆" color={THEME.app} text={`app: ${entry.text}`} />;
    case 'state':
      return <Indented marker="◇" color={THEME.state} text={describeState(entry)} />;
    case 'note':
      return <Indented marker="·" color={THEME.note} text={entry.text} />;
    case 'text':
      return (
        <Box flexDirection="column">
          {entry.title !== '' && <Text bold>{entry.title}</Text>}
          <Text>{entry.text}</Text>
        </Box>
      );
    case 'check':
      return <CheckLines entry={entry} />;
    case 'error': {
      // The caret lines up under the command's echo when that is the line just above.
      const underEcho = previous?.kind === 'command' && previous.line === entry.input;
      const pointed = entry.column !== undefined && entry.input !== '';
      return (
        <Box flexDirection="column">
          {pointed && !underEcho && <Text dimColor>{`  ${entry.input}`}</Text>}
          {pointed && <Text color={THEME.error}>{`  ${caretLine(entry.input, entry.column!, entry.length)}`}</Text>}
          <Indented marker="✗" color={THEME.error} text={entry.message} />
        </Box>
      );
    }
  }
}

function Indented({ marker, color, text }: { marker: string; color: string; text: string }) {
  return (
    <Box>
      <Box flexShrink={0}>
        <Text color={color}>{`  ${marker} `}</Text>
      </Box>
      <Text color={color} wrap="wrap">
        {text}
      </Text>
    </Box>
  );
}

/** "your side: SYN-SENT → ESTABLISHED", "server socket 127.0.0.1:7: SYN-RECV → ESTABLISHED". */
export function describeState(entry: StateEntry): string {
  if (entry.side === 'learner') return `your side: ${entry.from} → ${entry.to}`;
  const from = entry.from === null ? 'new' : entry.from;
  return `server socket ${formatEndpoint(entry.local)}: ${from} → ${entry.to}`;
}

const CHECK_MARKS = { pass: '✓', fail: '✗', timeout: '…' } as const;
const CHECK_COLORS = { pass: THEME.pass, fail: THEME.fail, timeout: THEME.timeout } as const;

function CheckLines({ entry }: { entry: CheckEntry }) {
  const color = CHECK_COLORS[entry.outcome];
  const wrong = entry.outcome === 'pass' ? [] : entry.fields.filter((field) => !field.ok);
  const width = Math.max(0, ...wrong.map((field) => field.field.length));
  return (
    <Box flexDirection="column">
      <Indented marker={CHECK_MARKS[entry.outcome]} color={color} text={`${entry.command}: ${entry.summary}`} />
      {wrong.map((field) => (
        <Box key={field.field} flexDirection="column" marginLeft={6}>
          {fieldLines(field, width).map((line, i) => (
            <Text key={i} color={i === 0 ? THEME.fail : undefined} wrap="wrap">
              {line}
            </Text>
          ))}
        </Box>
      ))}
      {entry.expected !== undefined && <PacketLines label="expected" packet={entry.expected} />}
      {entry.actual !== undefined && <PacketLines label="actual" packet={entry.actual} />}
    </Box>
  );
}

function PacketLines({ label, packet }: { label: string; packet: PacketText }) {
  return (
    <Box marginLeft={6}>
      <Box flexShrink={0}>
        <Text dimColor>{label.padEnd(10)}</Text>
      </Box>
      <Box flexDirection="column">
        <Text wrap="wrap">{packet.segment}</Text>
        <Text dimColor wrap="wrap">
          {packet.line}
        </Text>
      </Box>
    </Box>
  );
}

/**
 * A failing field in two lines, expected over actual, each with how it relates to an ISN:
 *   ack  expected 1001  = your ISN + 1
 *        actual   1000  = your ISN + 0
 */
export function fieldLines(field: FieldFeedback, width: number): string[] {
  const note = (text: string | undefined) => (text === undefined ? '' : `  = ${text}`);
  const pad = ' '.repeat(width);
  const lines = [`${field.field.padEnd(width)}  expected ${field.expected}${note(field.expectedNote)}`, `${pad}  actual   ${field.actual}${note(field.actualNote)}`];
  for (const problem of field.problems ?? []) lines.push(`${pad}  ${problem}`);
  return lines;
}
