import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdit, clearLine, createEditor, insertText, submit, type EditAction, type EditorState } from '../../src/ui/line-editor.js';

function run(state: EditorState, ...actions: Array<EditAction['type'] | EditAction>): EditorState {
  return actions.reduce<EditorState>((s, a) => applyEdit(s, typeof a === 'string' ? ({ type: a } as EditAction) : a), state);
}

const typed = (text: string, history: string[] = []) => insertText(createEditor(history), text);

describe('line editor: moving', () => {
  it('moves by character, to the ends, and stops at them', () => {
    const s = typed('send');
    assert.equal(run(s, 'left').cursor, 3);
    assert.equal(run(s, 'home').cursor, 0);
    assert.equal(run(s, 'home', 'left').cursor, 0);
    assert.equal(run(s, 'home', 'right', 'right').cursor, 2);
    assert.equal(run(s, 'home', 'end').cursor, 4);
    assert.equal(run(s, 'right').cursor, 4);
  });

  it('steps over a wide character, an emoji or a combining sequence in one move', () => {
    const s = typed('a日👨‍👩‍👧e\u0301');
    const positions: number[] = [];
    let at = run(s, 'home');
    for (let i = 0; i < 5; i++) {
      at = run(at, 'right');
      positions.push(at.cursor);
    }
    assert.deepEqual(positions, [1, 2, 2 + '👨‍👩‍👧'.length, s.text.length, s.text.length]);
    assert.equal(run(s, 'left').cursor, s.text.length - 2);
  });

  it('moves by words of non-spaces', () => {
    const s = typed('sr1 tcp  flags=S');
    assert.equal(run(s, 'word-left').cursor, 9);
    assert.equal(run(s, 'word-left', 'word-left').cursor, 4);
    assert.equal(run(s, 'home', 'word-right').cursor, 3);
    assert.equal(run(s, 'home', 'word-right', 'word-right').cursor, 7);
  });
});

describe('line editor: editing', () => {
  it('inserts at the cursor', () => {
    const s = run(typed('sr1 flags=S'), 'home', 'word-right', { type: 'insert', text: ' tcp' });
    assert.equal(s.text, 'sr1 tcp flags=S');
    assert.equal(s.cursor, 7);
  });

  it('drops control characters and turns tabs into spaces', () => {
    assert.equal(typed('a\tb\u001b[31mc\u0007').text, 'a b[31mc');
  });

  it('deletes before and under the cursor, a whole cluster at a time', () => {
    assert.equal(run(typed('ab日'), 'backspace').text, 'ab');
    assert.equal(run(typed('ab日'), 'home', 'delete').text, 'b日');
    assert.equal(run(typed('ab'), 'delete').text, 'ab');
    assert.equal(run(typed('ab'), 'home', 'backspace').text, 'ab');
    assert.equal(run(typed('x😀'), 'backspace').text, 'x');
  });

  it('cuts to the start (Ctrl-U), to the end (Ctrl-K) and the word before (Ctrl-W), and pastes it back (Ctrl-Y)', () => {
    const s = run(typed('send tcp flags=S'), 'word-left');
    const u = run(s, 'kill-to-start');
    assert.equal(u.text, 'flags=S');
    assert.equal(u.cursor, 0);
    assert.equal(run(u, 'end', 'yank').text, 'flags=Ssend tcp ');
    const k = run(s, 'kill-to-end');
    assert.equal(k.text, 'send tcp ');
    assert.equal(k.killed, 'flags=S');
    const w = run(typed('send tcp flags=S  '), 'kill-word-before');
    assert.equal(w.text, 'send tcp ');
    assert.equal(w.killed, 'flags=S  ');
    assert.equal(run(typed(''), 'kill-word-before').text, '');
  });
});

describe('line editor: history', () => {
  const history = ['send tcp flags=S', 'recv'];

  it('goes back through history and forward to the line being written', () => {
    let s = typed('sr1', history);
    s = run(s, 'history-previous');
    assert.equal(s.text, 'recv');
    assert.equal(s.cursor, 4);
    s = run(s, 'history-previous');
    assert.equal(s.text, 'send tcp flags=S');
    assert.equal(run(s, 'history-previous').text, 'send tcp flags=S');
    s = run(s, 'history-next', 'history-next');
    assert.equal(s.text, 'sr1');
    assert.equal(run(s, 'history-next').text, 'sr1');
  });

  it('keeps the draft when a recalled line is edited and left', () => {
    const s = run(typed('draft', history), 'history-previous', { type: 'insert', text: ' timeout=1' }, 'history-next');
    assert.equal(s.text, 'draft');
  });

  it('adds a submitted line to history, but not a blank one or a repeat', () => {
    let s = typed('recv', history);
    const first = submit(s);
    assert.equal(first.line, 'recv');
    assert.deepEqual(first.state.history, history);
    assert.equal(first.state.text, '');
    s = insertText(first.state, 'ls');
    const second = submit(s);
    assert.deepEqual(second.state.history, [...history, 'ls']);
    assert.deepEqual(submit(insertText(second.state, '   ')).state.history, [...history, 'ls']);
    assert.equal(run(second.state, 'history-previous').text, 'ls');
  });

  it('clears the line (Ctrl-C) and returns to the end of history', () => {
    const s = clearLine(run(typed('x', history), 'history-previous'));
    assert.equal(s.text, '');
    assert.equal(s.historyIndex, history.length);
    assert.equal(run(s, 'history-previous').text, 'recv');
  });
});
