// The cells that say what must happen: check (the learner's own segment, before it leaves),
// expect (replies), events (the bundled program's view) and silence.

import { parseDataLiteral } from '../../lang/data-literal.js';
import { Scanner, lexLine, type FieldToken } from '../../lang/lexer.js';
import { didYouMean } from '../../lang/suggest.js';
import { parseDuration, parseTimeoutSeconds } from './duration.js';
import type { LessonError, Position } from './lesson-error.js';
import { parseBareMatcherAt, parseMatcherTokensAt } from './lang-text.js';
import type { SourceLine } from './markdown-cells.js';
import { AppEventKindSchema, TcpStateSchema, type Expectation } from './schema.js';
import { readItems, readSentences, type Item } from './sentences.js';
import { tryParse } from './source-errors.js';

const REPLY_COMMANDS = ['recv', 'expect'] as const;
const EVENT_HEADS = ['app', 'state'] as const;
const TIMEOUT = 'timeout';

export function readCheckCell(file: string, at: Position, body: readonly SourceLine[], errors: LessonError[]) {
  const items = readItems(file, body, errors);
  if (items.length === 0) errors.push({ file, ...at, message: 'a check cell has no checks: write one per line, e.g. flags=S -- A connection opens with SYN.' });
  return items.flatMap((item) => {
    const where = { file, line: item.head.line, column: item.head.column };
    if (item.head.text === '') {
      errors.push({ ...where, message: "a check needs field=value before ' -- ', e.g. flags=S" });
      return [];
    }
    if (item.fail === null) {
      errors.push({ ...where, message: "a check needs ' -- ' and the sentence shown when the segment does not match" });
    }
    if (item.ok !== null) {
      errors.push({ ...where, message: "a check says nothing when it passes: 'ok:' belongs in expect and events cells" });
    }
    const matcher = parseBareMatcherAt(file, item.head, errors);
    if (matcher === null || item.fail === null) return [];
    return [{ matcher: sourceText(item.head), fail: item.fail }];
  });
}

export function readExpectCell(file: string, at: Position, body: readonly SourceLine[], errors: LessonError[]): Expectation[] {
  const items = readItems(file, body, errors);
  if (items.length === 0) errors.push({ file, ...at, message: 'an expect cell is empty: write a recv or expect line, e.g. recv flags=SA' });
  return items.flatMap((item): Expectation[] => {
    const lexed = tryParse(file, item.head, errors, () => lexLine(item.head.text));
    if (lexed === null) return [];
    const { head, fields } = lexed;
    const command = REPLY_COMMANDS.find((name) => name === head?.text);
    if (command === undefined) {
      errors.push(unknownHead(file, item, head, REPLY_COMMANDS, 'an expect cell holds recv and expect lines', {
        silence: 'silence has a cell of its own: ```tcplab silence 1s',
        app: 'app events go in an events cell',
        state: 'socket states go in an events cell',
      }));
      return [];
    }
    const failures = errors.length;
    // As in the REPL: recv waits up to timeout= for a match; expect checks $rx as it is, and needs a field.
    const matcher = parseMatcherTokensAt(file, item.head, fields, command === 'recv' ? [TIMEOUT] : [], errors);
    const timeoutMs = timeoutOf(file, item.head, matcher?.extras.get(TIMEOUT), errors);
    if (matcher !== null && command === 'expect' && matcher.fields.length === 0) {
      errors.push({ file, line: item.head.line, column: item.head.column, message: 'expect needs at least one field=value, e.g. expect flags=SA' });
    }
    if (matcher === null || errors.length > failures) return [];
    return [{ kind: 'reply', command, line: sourceText(item.head), timeoutMs, fail: item.fail, ok: item.ok }];
  });
}

export function readEventsCell(file: string, at: Position, body: readonly SourceLine[], errors: LessonError[]): Expectation[] {
  const items = readItems(file, body, errors);
  if (items.length === 0) errors.push({ file, ...at, message: 'an events cell is empty: write app or state lines, e.g. app accepted' });
  return items.flatMap((item): Expectation[] => {
    const failures = errors.length;
    const lexed = tryParse(file, item.head, errors, () => lexLine(item.head.text));
    if (lexed === null) return [];
    const { head, fields } = lexed;
    const which = EVENT_HEADS.find((name) => name === head?.text);
    if (which === undefined) {
      errors.push(unknownHead(file, item, head, EVENT_HEADS, 'an events cell holds app and state lines', {
        recv: 'replies go in an expect cell',
        expect: 'replies go in an expect cell',
      }));
      return [];
    }
    const expectation = which === 'app' ? readAppLine(file, item, fields, errors) : readStateLine(file, item, fields, errors);
    return expectation === null || errors.length > failures ? [] : [expectation];
  });
}

export function readSilenceCell(file: string, at: Position, args: SourceLine | null, body: readonly SourceLine[], errors: LessonError[]): Expectation[] {
  const sentences = readSentences(file, body, errors);
  if (args === null) {
    errors.push({ file, ...at, message: 'silence needs how long to wait, e.g. ```tcplab silence 1s' });
    return [];
  }
  const ms = tryParse(file, args, errors, () => parseDuration(args.text, 1, 'a duration'));
  return ms === null ? [] : [{ kind: 'silence', ms, at, ...sentences }];
}

function readAppLine(file: string, item: Item, fields: readonly FieldToken[], errors: LessonError[]): Expectation | null {
  const [first, ...rest] = fields;
  const events = AppEventKindSchema.options;
  const fail = (message: string, column: number): null => {
    errors.push({ file, line: item.head.line, column: item.head.column + column - 1, message });
    return null;
  };
  if (first === undefined || first.equals !== null) {
    return fail(`expected what the application saw after 'app': ${events.join(', ')}`, first?.nameSpan.column ?? item.head.text.length + 1);
  }
  const event = events.find((name) => name === first.name);
  if (event === undefined) {
    const hint = didYouMean(first.name, events) ?? `the events are ${events.join(' ')}`;
    return fail(`unknown app event '${first.name}'; ${hint}`, first.nameSpan.column);
  }
  let data: { text: string; hex: string } | null = null;
  let timeout: FieldToken | undefined;
  for (const token of rest) {
    if (token.name === 'data' && token.equals !== null && event === 'received' && data === null) {
      const bytes = tryParse(file, item.head, errors, () => {
        const scanner = Scanner.over(item.head.text, token.valueSpan);
        const literal = parseDataLiteral(scanner);
        if (!scanner.atEnd()) scanner.fail(`unexpected ${scanner.describeNext()} after the data`, scanner.here(), 'put the whole payload in one quoted string');
        return literal.bytes;
      });
      if (bytes === null) return null;
      data = { text: token.value, hex: Buffer.from(bytes).toString('hex') };
    } else if (token.name === TIMEOUT && token.equals !== null && timeout === undefined) {
      timeout = token;
    } else {
      const allowed = event === 'received' ? "data= and timeout=" : 'timeout=';
      return fail(`unexpected '${token.name}${token.equals === null ? '' : '='}' in an app ${event} line; it takes ${allowed}`, token.nameSpan.column);
    }
  }
  const timeoutMs = timeoutOf(file, item.head, timeout, errors);
  return { kind: 'app', event, data, line: sourceText(item.head), timeoutMs, fail: item.fail, ok: item.ok };
}

/** RFC 9293 spells one state differently from Linux; the lesson says what the kernel reports. */
const RFC_NAMES: Record<string, string> = { 'SYN-RECEIVED': 'SYN-RECV' };

function readStateLine(file: string, item: Item, fields: readonly FieldToken[], errors: LessonError[]): Expectation | null {
  const [first, ...rest] = fields;
  const states = TcpStateSchema.options;
  const fail = (message: string, column: number): null => {
    errors.push({ file, line: item.head.line, column: item.head.column + column - 1, message });
    return null;
  };
  if (first === undefined || first.equals !== null) {
    return fail(`expected a TCP state after 'state', e.g. state CLOSE-WAIT`, first?.nameSpan.column ?? item.head.text.length + 1);
  }
  const state = states.find((name) => name === first.name.toUpperCase());
  if (state === undefined) {
    const linux = RFC_NAMES[first.name.toUpperCase()];
    const hint = linux !== undefined ? `Linux reports it as '${linux}'` : (didYouMean(first.name, states) ?? `the states are ${states.join(' ')}`);
    return fail(`unknown TCP state '${first.name}'; ${hint}`, first.nameSpan.column);
  }
  let timeout: FieldToken | undefined;
  for (const token of rest) {
    if (token.name === TIMEOUT && token.equals !== null && timeout === undefined) timeout = token;
    else return fail(`unexpected '${token.name}${token.equals === null ? '' : '='}' in a state line; it takes timeout=`, token.nameSpan.column);
  }
  const timeoutMs = timeoutOf(file, item.head, timeout, errors);
  return { kind: 'state', state, line: sourceText(item.head), timeoutMs, fail: item.fail, ok: item.ok };
}

function timeoutOf(file: string, source: SourceLine, token: FieldToken | undefined, errors: LessonError[]): number | null {
  if (token === undefined) return null;
  return tryParse(file, source, errors, () => parseTimeoutSeconds(token.value, token.valueSpan.column));
}

function unknownHead(
  file: string,
  item: Item,
  head: { text: string; span: { column: number } } | null,
  allowed: readonly string[],
  what: string,
  elsewhere: Record<string, string>,
): LessonError {
  const where = { file, line: item.head.line, column: item.head.column + (head?.span.column ?? 1) - 1 };
  if (head === null) return { ...where, message: `${what}; start the line with ${allowed.join(' or ')}` };
  const hint = elsewhere[head.text] ?? didYouMean(head.text, allowed) ?? `${what}`;
  return { ...where, message: `unknown command '${head.text}'; ${hint}` };
}

export function sourceText(line: SourceLine): { text: string; at: Position } {
  return { text: line.text, at: { line: line.line, column: line.column } };
}
