import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HistoryStore, historyPath, parseHistory, trimHistory, writeAtomically } from '../../src/ui/history-store.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tcplab-history-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('historyPath', () => {
  it('follows XDG_STATE_HOME, and ~/.local/state without it or with a relative one', () => {
    assert.equal(historyPath({ XDG_STATE_HOME: '/var/state' }, '/home/ada'), '/var/state/tcplab/history');
    assert.equal(historyPath({}, '/home/ada'), '/home/ada/.local/state/tcplab/history');
    assert.equal(historyPath({ XDG_STATE_HOME: 'relative' }, '/home/ada'), '/home/ada/.local/state/tcplab/history');
  });
});

describe('parseHistory', () => {
  it('keeps good lines of a damaged file and drops the rest', () => {
    const bytes = Buffer.concat([
      Buffer.from('send tcp flags=S\r\n\n'),
      Buffer.from([0xff, 0xfe, 0x41, 0x0a]), // not UTF-8
      Buffer.from('bad\u0000line\n'),
      Buffer.from(`${'x'.repeat(5000)}\n`),
      Buffer.from('recv 日本\n'),
      Buffer.from('no newline at the end'),
    ]);
    assert.deepEqual(parseHistory(bytes), ['send tcp flags=S', 'recv 日本', 'no newline at the end']);
  });

  it('trims to the newest lines without repeats in a row', () => {
    assert.deepEqual(trimHistory(['a', 'a', 'b', 'a', 'c', 'c'], 3), ['b', 'a', 'c']);
  });
});

describe('HistoryStore', () => {
  it('starts empty when there is no file, and saves lines across runs', async () => {
    const path = join(dir, 'fresh', 'tcplab', 'history');
    const first = new HistoryStore({ path });
    assert.deepEqual(await first.load(), []);
    await first.add('sr1 tcp flags=S seq=1000');
    await first.add('sr1 tcp flags=S seq=1000');
    await first.add('   ');
    await first.add('send tcp flags=A seq=1001 ack=$rx.seq+1');
    assert.equal(await readFile(path, 'utf8'), 'sr1 tcp flags=S seq=1000\nsend tcp flags=A seq=1001 ack=$rx.seq+1\n');
    const second = new HistoryStore({ path });
    assert.deepEqual(await second.load(), ['sr1 tcp flags=S seq=1000', 'send tcp flags=A seq=1001 ack=$rx.seq+1']);
  });

  it('writes through a temporary file and leaves none behind', async () => {
    const folder = join(dir, 'atomic');
    const path = join(folder, 'history');
    await mkdir(folder);
    await writeFile(path, 'old\n');
    await writeAtomically(path, 'new\n');
    assert.equal(await readFile(path, 'utf8'), 'new\n');
    assert.deepEqual(await readdir(folder), ['history']);
  });

  it('leaves the old file whole when the write fails', async () => {
    // A name so long that the temporary one beside it is past the file system's limit: a
    // failure that happens even to root, after the old file was there.
    const folder = join(dir, 'failing');
    const path = join(folder, 'h'.repeat(245));
    await mkdir(folder);
    await writeFile(path, 'kept\n');
    await assert.rejects(writeAtomically(path, 'lost\n'), /ENAMETOOLONG/);
    assert.equal(await readFile(path, 'utf8'), 'kept\n');
    assert.deepEqual(await readdir(folder), ['h'.repeat(245)]);
  });

  it('tolerates a corrupt file: loads what it can and saves a clean one', async () => {
    const path = join(dir, 'corrupt');
    await writeFile(path, Buffer.from([0x6c, 0x73, 0x0a, 0xc3, 0x28, 0x0a, 0x00, 0x01, 0x0a, 0x72, 0x65, 0x73, 0x65, 0x74, 0x0a]));
    const store = new HistoryStore({ path });
    assert.deepEqual(await store.load(), ['ls', 'reset']);
    await store.add('help');
    assert.equal(await readFile(path, 'utf8'), 'ls\nreset\nhelp\n');
  });

  it('keeps the lines of two REPLs open at once', async () => {
    const path = join(dir, 'shared');
    const a = new HistoryStore({ path });
    const b = new HistoryStore({ path });
    await a.load();
    await b.load();
    await a.add('from a');
    await b.add('from b');
    await a.add('again a');
    assert.deepEqual(parseHistory(await readFile(path)), ['from a', 'from b', 'again a']);
  });

  it('keeps at most its limit, dropping the oldest', async () => {
    const path = join(dir, 'limited');
    const store = new HistoryStore({ path, limit: 3 });
    await store.load();
    for (const line of ['1', '2', '3', '4', '5']) await store.add(line);
    assert.deepEqual(store.entries, ['3', '4', '5']);
    assert.equal(await readFile(path, 'utf8'), '3\n4\n5\n');
  });

  it('turns a history that cannot be written into one note, and goes on', async () => {
    const blocker = join(dir, 'blocker');
    await writeFile(blocker, 'a file where a folder should be');
    const notes: string[] = [];
    const store = new HistoryStore({ path: join(blocker, 'tcplab', 'history'), note: (m) => notes.push(m) });
    assert.deepEqual(await store.load(), []);
    await store.add('one');
    await store.add('two');
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /history not (read|saved)/);
    assert.deepEqual(store.entries, ['one', 'two']);
  });
});
