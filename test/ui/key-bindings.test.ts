import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { commandFor, KEY_BINDINGS, KEY_HELP_ROWS } from '../../src/ui/key-bindings.js';
import { decodeInput } from '../../src/ui/key-decoder.js';
import { projectRoot } from '../support/project-root.js';

const command = (input: string) => commandFor(decodeInput(input)[0]!);

describe('key bindings', () => {
  it('maps the readline keys to edits', () => {
    assert.deepEqual(command('\u0001'), { type: 'edit', action: { type: 'home' } });
    assert.deepEqual(command('\u0005'), { type: 'edit', action: { type: 'end' } });
    assert.deepEqual(command('\u0015'), { type: 'edit', action: { type: 'kill-to-start' } });
    assert.deepEqual(command('\u000b'), { type: 'edit', action: { type: 'kill-to-end' } });
    assert.deepEqual(command('\u0017'), { type: 'edit', action: { type: 'kill-word-before' } });
    assert.deepEqual(command('\u007f'), { type: 'edit', action: { type: 'backspace' } });
    assert.deepEqual(command('\u001b[3~'), { type: 'edit', action: { type: 'delete' } });
    assert.deepEqual(command('\u001b[A'), { type: 'edit', action: { type: 'history-previous' } });
    assert.deepEqual(command('\u001b[1;5D'), { type: 'edit', action: { type: 'word-left' } });
    assert.deepEqual(command('\u001b[D'), { type: 'edit', action: { type: 'left' } });
  });

  it('maps Enter, Tab, Ctrl-C, Ctrl-D, ? and Esc to the prompt\'s own commands', () => {
    assert.deepEqual(command('\r'), { type: 'submit' });
    assert.deepEqual(command('\t'), { type: 'complete' });
    assert.deepEqual(command('\u0003'), { type: 'interrupt' });
    assert.deepEqual(command('\u0004'), { type: 'end-of-input' });
    assert.deepEqual(command('?'), { type: 'toggle-help' });
    assert.deepEqual(command('\u001b'), { type: 'dismiss' });
  });

  it('inserts text, and ignores keys it has no use for', () => {
    assert.deepEqual(command('flags=S'), { type: 'edit', action: { type: 'insert', text: 'flags=S' } });
    assert.equal(command('\u001b[5~'), null);
    assert.equal(command('\u0007'), null);
  });

  it('lists every binding exactly once in the help', () => {
    const listed = KEY_HELP_ROWS.flatMap((row) => row.ids);
    assert.deepEqual([...listed].sort(), KEY_BINDINGS.map((binding) => binding.id).sort());
  });

  it('is documented in docs/keys.md, key by key', () => {
    const doc = readFileSync(join(projectRoot(), 'docs', 'keys.md'), 'utf8');
    for (const binding of KEY_BINDINGS) {
      for (const key of binding.keys) assert.ok(doc.includes(`\`${key}\``), `docs/keys.md does not mention \`${key}\` (${binding.does})`);
    }
    for (const row of doc.matchAll(/^\| `([^|]+)` /gm)) {
      const keys = row[1]!.split(/`, `/);
      for (const key of keys) assert.ok(KEY_BINDINGS.some((binding) => binding.keys.includes(key)), `docs/keys.md lists ${key}, which the prompt does not know`);
    }
  });
});
