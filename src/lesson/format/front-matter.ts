// The YAML between the `---` lines at the top of a lesson: split off, parsed with its
// positions, and checked against FrontMatterSchema, every mistake at its line and column.

import { isMap, isScalar, parseDocument, visit, type Document, type Node, type YAMLError } from 'yaml';
import type { ServerBehaviourSpec } from '../../server/behaviour.js';
import { SegmentSyntaxError } from '../../lang/syntax-error.js';
import { LineIndex, type LessonError, type Position } from './lesson-error.js';
import { FrontMatterSchema, type FrontMatter } from './schema.js';
import { schemaErrors, type DocumentLocator } from './schema-errors.js';
import { parseServerBehaviour } from './server-spec.js';
import { syntaxErrorAt } from './source-errors.js';

export interface FrontMatterResult {
  meta: FrontMatter | null;
  server: ServerBehaviourSpec | null;
  /** Where each field's value starts. */
  metaAt: Record<string, Position>;
  /** Index into the file's lines of the first line after the front-matter. */
  bodyStart: number;
  /** False when the front-matter never ends, so there is no body to read. */
  closed: boolean;
  errors: LessonError[];
}

const FIELDS = Object.keys(FrontMatterSchema.shape);
const DELIMITER = /^---[ \t]*$/;
const END = /^(?:---|\.\.\.)[ \t]*$/;

export function readFrontMatter(file: string, lines: readonly string[]): FrontMatterResult {
  const result: FrontMatterResult = { meta: null, server: null, metaAt: {}, bodyStart: 0, closed: true, errors: [] };
  const fail = (message: string, at: Position = { line: 1, column: 1 }): FrontMatterResult => {
    result.errors.push({ file, ...at, message });
    return result;
  };
  if (!DELIMITER.test(lines[0] ?? '')) {
    return fail("a lesson starts with its front-matter: a line '---', the fields (id, title, summary, language), and '---'");
  }
  const close = lines.findIndex((line, i) => i > 0 && END.test(line));
  if (close === -1) {
    result.closed = false;
    return fail("the front-matter is never closed: end it with a line '---'");
  }
  result.bodyStart = close + 1;

  // The YAML starts on the file's second line, so its line n is the file's line n + 1.
  const yamlText = lines.slice(1, close).join('\n');
  const index = new LineIndex(yamlText);
  const at = (offset: number, shift = 0): Position => {
    const position = index.positionOf(offset);
    return { line: position.line + 1, column: position.column + shift };
  };
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const quote = unclosedQuote(doc, error);
      result.errors.push(
        quote === null
          ? { file, ...at(error.pos[0]), message: `the front-matter is not valid YAML: ${lowerFirst(error.message)}` }
          : { file, ...at(quote.offset), message: `the front-matter is not valid YAML: this quoted text is never closed; end it with ${quote.mark}` },
      );
    }
    return result;
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    const got = isScalar(doc.contents) ? 'a single value' : 'a list';
    return fail(`the front-matter must be fields such as 'id: three-way-handshake', got ${got}`, at(doc.contents.range?.[0] ?? 0));
  }

  let value: unknown;
  try {
    value = doc.toJS() ?? {};
  } catch (error) {
    // yaml refuses to expand aliases without end (a "billion laughs" document).
    return fail(`the front-matter is not valid YAML: ${lowerFirst((error as Error).message)}`, { line: 2, column: 1 });
  }
  const locator = yamlLocator(doc, at);
  const parsed = FrontMatterSchema.safeParse(value, { reportInput: true });
  for (const key of FIELDS) {
    const position = locator.valueAt([key]);
    if (position !== null) result.metaAt[key] = position;
  }
  // The server's behaviour has a grammar of its own: read it even when other fields are wrong.
  const server = doc.get('server') ?? FrontMatterSchema.shape.server.parse(undefined);
  if (typeof server === 'string') result.server = readServer(file, doc, server, at, result.errors);
  if (!parsed.success) {
    result.errors.push(...schemaErrors(file, parsed.error.issues, locator, () => FIELDS));
    return result;
  }
  result.meta = parsed.data;
  return result;
}

function readServer(
  file: string,
  doc: Document,
  text: string,
  at: (offset: number, shift?: number) => Position,
  errors: LessonError[],
): ServerBehaviourSpec | null {
  try {
    return parseServerBehaviour(text);
  } catch (error) {
    if (!(error instanceof SegmentSyntaxError)) throw error;
    const node = doc.get('server', true) as Node | undefined;
    // The field left out takes the default, which always parses; so the node is there. A
    // quoted scalar's text starts one column after its quote.
    const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    const start = at(node?.range?.[0] ?? 0, quoted ? 1 : 0);
    errors.push(syntaxErrorAt(file, error, start));
    return null;
  }
}

function yamlLocator(doc: Document, at: (offset: number) => Position): DocumentLocator {
  return {
    valueAt(path) {
      const node = doc.getIn(path as unknown[], true) as Node | undefined;
      const offset = node?.range?.[0];
      return offset === undefined ? null : at(offset);
    },
    keyAt(path) {
      const parent = path.length === 1 ? doc.contents : (doc.getIn(path.slice(0, -1) as unknown[], true) as Node | undefined);
      if (!isMap(parent)) return null;
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
      const offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
      return offset === undefined ? null : at(offset);
    },
    whole: { line: 1, column: 1 },
  };
}

/**
 * YAML reports a missing closing quote where the text runs out, often lines later; the
 * mistake is where the quote opened, so point there.
 */
function unclosedQuote(doc: Document, error: YAMLError): { offset: number; mark: string } | null {
  if (error.code !== 'MISSING_CHAR' || !/quote/.test(error.message)) return null;
  let found: { offset: number; mark: string } | null = null;
  visit(doc, {
    Scalar(_, node) {
      const [start, end] = node.range ?? [0, 0];
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      if (quoted && start < error.pos[0] && end >= error.pos[0]) found = { offset: start, mark: node.type === 'QUOTE_DOUBLE' ? '"' : "'" };
    },
  });
  return found;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
