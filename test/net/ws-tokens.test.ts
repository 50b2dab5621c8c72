// Tokens: the daemon's file, one a line, and the client's, from a file or the environment.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readClientToken, TokenFileError, TokenSet } from '../../src/net/ws/tokens.js';

const classA = '3f1c0a9e7b2d4c6f8a1b3c5d7e9f0a2b';
const classB = 'b2a0f9e7d5c3b1a8f6c4d2b7e9a0c1f3';
const dir = mkdtempSync(join(tmpdir(), 'tcplab-tokens-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the daemon’s token file', () => {
  const set = TokenSet.parse(`# one token per class\n\n${classA}\n  ${classB}  \n# ${'c'.repeat(32)} struck off\n`);

  test('holds a token per line, skipping blanks and comments', () => {
    assert.equal(set.size, 2);
  });

  test('names the line a token came from, never the token', () => {
    assert.deepEqual(set.match(classA), { label: 'line 3' });
    assert.deepEqual(set.match(classB), { label: 'line 4' });
  });

  test('refuses anything else, a struck-off token and near misses included', () => {
    for (const wrong of ['', 'c'.repeat(32), classA.slice(0, -1), `${classA}x`, classA.toUpperCase(), ` ${classA}`]) assert.equal(set.match(wrong), null, wrong);
  });

  test('refuses tokens that are too short to be secret, with the command that makes a good one', () => {
    assert.throws(() => TokenSet.parse(`${classA}\nclass-b\n`, 'tokens.txt'), (error: Error) => error instanceof TokenFileError && /tokens\.txt, line 2: a token needs at least 16 characters \(this one has 7\); make one with: openssl rand -hex 16/.test(error.message));
  });

  test('refuses a file with no token in it', () => {
    assert.throws(() => TokenSet.parse('# nobody yet\n\n'), /has no tokens/);
  });

  test('refuses a line with two tokens on it', () => {
    assert.throws(() => TokenSet.parse(`${classA} ${classB}\n`), /line 1: a token has no spaces inside it/);
  });

  test('says which file could not be read', async () => {
    await assert.rejects(TokenSet.load(join(dir, 'missing')), /cannot read the token file .*missing: ENOENT/);
  });
});

describe('the client’s token', () => {
  test('comes from the first token line of --token-file', async () => {
    const file = join(dir, 'mine');
    writeFileSync(file, `# for class A\n${classA}\n`);
    assert.equal(await readClientToken({ tokenFile: file, env: { TCPLAB_TOKEN: classB } }), classA);
  });

  test('or from TCPLAB_TOKEN', async () => {
    assert.equal(await readClientToken({ env: { TCPLAB_TOKEN: ` ${classB}\n` } }), classB);
  });

  test('and without either says where to put one', async () => {
    await assert.rejects(readClientToken({ env: {} }), /needs a token: give --token-file FILE or set TCPLAB_TOKEN/);
  });
});
