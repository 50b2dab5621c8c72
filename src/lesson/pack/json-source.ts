// JSON read with the place of every key and value, so a manifest's mistakes (a syntax
// error, a wrong field) are reported at their line and column, as a lesson's are.

/** A JSON syntax error at a character offset. */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface JsonDocument {
  value: unknown;
  /** Offset of the value at `path`, or null when there is none. */
  valueOffset(path: readonly PropertyKey[]): number | null;
  /** Offset of the key naming the value at `path`, or null. */
  keyOffset(path: readonly PropertyKey[]): number | null;
}

const key = (path: readonly PropertyKey[]): string => JSON.stringify(path.map((part) => (typeof part === 'number' ? part : String(part))));

/** Parses `text` as JSON (RFC 8259), or throws JsonSyntaxError at the first mistake. */
export function parseJsonDocument(text: string): JsonDocument {
  const values = new Map<string, number>();
  const keys = new Map<string, number>();
  let pos = 0;

  const fail = (message: string, at = pos): never => {
    throw new JsonSyntaxError(message, at);
  };
  const describe = (): string => {
    if (pos >= text.length) return 'the end of the file';
    const ch = text[pos] ?? '';
    if (ch === '/' && (text[pos + 1] === '/' || text[pos + 1] === '*')) return 'a comment (JSON has none)';
    return `'${ch}'`;
  };
  const skipSpace = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos] ?? '')) pos += 1;
  };

  const parseValue = (path: PropertyKey[]): unknown => {
    skipSpace();
    values.set(key(path), pos);
    const ch = text[pos];
    if (ch === '{') return parseObject(path);
    if (ch === '[') return parseArray(path);
    if (ch === '"') return parseString();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return parseNumber();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    const hint = ch === "'" ? "; JSON strings use double quotes" : '';
    return fail(`expected a value, got ${describe()}${hint}`);
  };

  const parseObject = (path: PropertyKey[]): Record<string, unknown> => {
    const object: Record<string, unknown> = {};
    pos += 1;
    skipSpace();
    if (text[pos] === '}') {
      pos += 1;
      return object;
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') {
        const hint = text[pos] === '}' ? "; JSON allows no comma before '}'" : '';
        fail(`expected a field name in double quotes, got ${describe()}${hint}`);
      }
      const keyAt = pos;
      const name = parseString();
      if (Object.prototype.hasOwnProperty.call(object, name)) fail(`the field '${name}' is given twice`, keyAt);
      keys.set(key([...path, name]), keyAt);
      skipSpace();
      if (text[pos] !== ':') fail(`expected ':' after "${name}", got ${describe()}`);
      pos += 1;
      // A key named __proto__ is data, as JSON.parse keeps it; plain assignment would set the prototype.
      Object.defineProperty(object, name, { value: parseValue([...path, name]), enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (text[pos] === ',') {
        pos += 1;
        continue;
      }
      if (text[pos] === '}') {
        pos += 1;
        return object;
      }
      fail(`expected ',' or '}' after the value of "${name}", got ${describe()}`);
    }
  };

  const parseArray = (path: PropertyKey[]): unknown[] => {
    const array: unknown[] = [];
    pos += 1;
    skipSpace();
    if (text[pos] === ']') {
      pos += 1;
      return array;
    }
    for (;;) {
      skipSpace();
      if (text[pos] === ']') fail("expected a value, got ']'; JSON allows no comma before ']'");
      array.push(parseValue([...path, array.length]));
      skipSpace();
      if (text[pos] === ',') {
        pos += 1;
        continue;
      }
      if (text[pos] === ']') {
        pos += 1;
        return array;
      }
      fail(`expected ',' or ']' after a list item, got ${describe()}`);
    }
  };

  const parseString = (): string => {
    const start = pos;
    pos += 1;
    for (;;) {
      const ch = text[pos];
      if (ch === undefined || ch === '\n') fail('this string is never closed: end it with "', start);
      if (ch === '"') break;
      if (ch === '\\') pos += 1;
      else if (ch !== undefined && ch < ' ') fail('a control character in a string must be escaped');
      pos += 1;
    }
    pos += 1;
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      return fail('this string has a bad escape: JSON knows \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX', start);
    }
  };

  const parseNumber = (): number => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(pos));
    if (match === null) return fail(`expected a number, got ${describe()}`);
    pos += match[0].length;
    return Number(match[0]);
  };

  const value = parseValue([]);
  skipSpace();
  if (pos < text.length) fail(`expected the end of the file after the value, got ${describe()}`);
  return {
    value,
    valueOffset: (path) => values.get(key(path)) ?? null,
    keyOffset: (path) => keys.get(key(path)) ?? null,
  };
}
