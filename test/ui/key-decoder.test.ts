import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeInput, type KeyPress } from '../../src/ui/key-decoder.js';

const names = (input: string) => decodeInput(input).map(describeKey);

function describeKey(key: KeyPress): string {
  const mods = `${key.ctrl ? 'C-' : ''}${key.meta ? 'M-' : ''}${key.shift && key.name !== 'letter' ? 'S-' : ''}`;
  if (key.name === 'text') return `text:${key.text}`;
  if (key.name === 'letter') return `${mods}${key.text}`;
  return `${mods}${key.name}`;
}

describe('decodeInput', () => {
  it('splits a fast chunk of text and Enter into separate keys', () => {
    assert.deepEqual(names('sr1 tcp flags=S\r'), ['text:sr1 tcp flags=S', 'return']);
    assert.deepEqual(names('ab\rcd\n'), ['text:ab', 'return', 'text:cd', 'return']);
  });

  it('tells Backspace (DEL or BS) from Delete (ESC [3~)', () => {
    assert.deepEqual(names('\u007f'), ['backspace']);
    assert.deepEqual(names('\b'), ['backspace']);
    assert.deepEqual(names('\u001b[3~'), ['delete']);
  });

  it('reads control letters', () => {
    assert.deepEqual(names('\u0001\u0005\u0015\u000b\u0017\u0003\u0004'), ['C-a', 'C-e', 'C-u', 'C-k', 'C-w', 'C-c', 'C-d']);
    assert.deepEqual(names('\t'), ['tab']);
  });

  it('reads arrows, Home and End in their CSI, SS3 and tilde forms', () => {
    assert.deepEqual(names('\u001b[A\u001b[B\u001b[C\u001b[D'), ['up', 'down', 'right', 'left']);
    assert.deepEqual(names('\u001bOA\u001bOH\u001bOF'), ['up', 'home', 'end']);
    assert.deepEqual(names('\u001b[H\u001b[F\u001b[1~\u001b[4~\u001b[7~\u001b[8~'), ['home', 'end', 'home', 'end', 'home', 'end']);
  });

  it('reads xterm modifiers on arrows', () => {
    assert.deepEqual(names('\u001b[1;5D\u001b[1;5C'), ['C-left', 'C-right']);
    assert.deepEqual(names('\u001b[1;3D'), ['M-left']);
    assert.deepEqual(names('\u001b[1;2A'), ['S-up']);
    assert.deepEqual(names('\u001b\u001b[D'), ['M-left']);
    assert.deepEqual(names('\u001b[Z'), ['S-tab']);
  });

  it('reads Alt and a key, and a lone Esc', () => {
    assert.deepEqual(names('\u001bb\u001bf'), ['M-b', 'M-f']);
    assert.deepEqual(names('\u001b\u007f'), ['M-backspace']);
    assert.deepEqual(names('\u001b'), ['escape']);
  });

  it('passes wide text and emoji through as text', () => {
    assert.deepEqual(names('data="日本😀"'), ['text:data="日本😀"']);
  });

  it('keeps the bytes of every key', () => {
    assert.deepEqual(
      decodeInput('a\u001b[3~\r').map((key) => key.sequence),
      ['a', '\u001b[3~', '\r'],
    );
  });
});
