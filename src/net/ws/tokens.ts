import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';

// Access to a lab daemon: a token per line of a file, so an instructor can hand one to each
// class and strike a line to shut that class out. Only digests are kept, and a candidate is
// compared with every one of them in constant time, so how long a refusal takes says nothing
// about how close a guess came, nor which line it was near.

/** Shorter tokens can be guessed; `openssl rand -hex 16` makes a good one. */
export const MIN_TOKEN_LENGTH = 16;

export class TokenFileError extends Error {
  override name = 'TokenFileError';
}

export interface TokenMatch {
  /** Which line of the file matched, for the log: never the token itself. */
  label: string;
}

export class TokenSet {
  private constructor(private readonly entries: ReadonlyArray<{ digest: Buffer; label: string }>) {}

  /** Tokens from a file's text: one a line; blank lines and lines starting with # are skipped. */
  static parse(text: string, source = 'the token file'): TokenSet {
    const entries: Array<{ digest: Buffer; label: string }> = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const token = lines[i]!.trim();
      if (token === '' || token.startsWith('#')) continue;
      if (token.length < MIN_TOKEN_LENGTH) {
        throw new TokenFileError(`${source}, line ${i + 1}: a token needs at least ${MIN_TOKEN_LENGTH} characters (this one has ${token.length}); make one with: openssl rand -hex 16`);
      }
      if (/\s/.test(token)) throw new TokenFileError(`${source}, line ${i + 1}: a token has no spaces inside it (one token a line)`);
      entries.push({ digest: digest(token), label: `line ${i + 1}` });
    }
    if (entries.length === 0) throw new TokenFileError(`${source} has no tokens: put one on each line (make one with: openssl rand -hex 16)`);
    return new TokenSet(entries);
  }

  static async load(path: string): Promise<TokenSet> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new TokenFileError(`cannot read the token file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return TokenSet.parse(text, path);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The token's line, or null. Every entry is compared, whatever matched first. */
  match(candidate: string): TokenMatch | null {
    const wanted = digest(candidate);
    let found: TokenMatch | null = null;
    for (const entry of this.entries) {
      // Digests are all 32 bytes, so timingSafeEqual never throws on length.
      if (timingSafeEqual(entry.digest, wanted) && found === null) found = { label: entry.label };
    }
    return found;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export const TOKEN_ENV = 'TCPLAB_TOKEN';

/**
 * The client's token: the first token in `tokenFile` when given, else $TCPLAB_TOKEN. Throws
 * a TokenFileError saying where to put one when there is none.
 */
export async function readClientToken(options: { tokenFile?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  if (options.tokenFile !== undefined) {
    let text: string;
    try {
      text = await readFile(options.tokenFile, 'utf8');
    } catch (error) {
      throw new TokenFileError(`cannot read the token file ${options.tokenFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const token = text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '' && !line.startsWith('#'));
    if (token === undefined) throw new TokenFileError(`the token file ${options.tokenFile} holds no token`);
    return token;
  }
  const fromEnv = (options.env ?? process.env)[TOKEN_ENV]?.trim();
  if (fromEnv) return fromEnv;
  throw new TokenFileError(`a remote lab needs a token: give --token-file FILE or set ${TOKEN_ENV} (whoever runs the lab daemon has one for you)`);
}
