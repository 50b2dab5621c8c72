import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sessionCompletionData } from '../../src/ui/completion-data.js';
import { applyCompletion, completeAt, completionSource } from '../../src/ui/completion.js';

const data = sessionCompletionData();
const labels = (text: string, cursor = text.length) => completeAt(data, text, cursor)?.candidates.map((c) => c.label) ?? null;
const source = completionSource(data);
const apply = (text: string, cursor = text.length) => {
  const result = applyCompletion(text, cursor, source);
  if (result === null) return null;
  const line = result.insert === null ? text : text.slice(0, result.insert.start) + result.insert.text + text.slice(result.insert.end);
  return { line, candidates: result.candidates };
};

describe('completion: commands', () => {
  it('completes a command name, and lists the ones that share a start', () => {
    assert.deepEqual(apply('sr'), { line: 'sr1 ', candidates: [] });
    assert.deepEqual(apply('se'), { line: 'se', candidates: ['send', 'server'] });
    assert.deepEqual(apply('  hel'), { line: '  help ', candidates: [] });
    assert.equal(apply('zz'), null);
  });

  it('lists every command on an empty line', () => {
    assert.ok(labels('')!.includes('send'));
    assert.ok(labels('')!.includes('quit'));
  });
});

describe('completion: segments and matchers', () => {
  it('offers tcp first, then field names with their =', () => {
    assert.deepEqual(apply('send '), { line: 'send tcp ', candidates: [] });
    assert.deepEqual(apply('send tcp fl'), { line: 'send tcp flags=', candidates: [] });
    assert.deepEqual(labels('sr1 tcp s'), ['src=', 'sport=', 'seq=']);
  });

  it('does not offer a field already given', () => {
    assert.deepEqual(labels('sr1 tcp seq=1 s'), ['src=', 'sport=']);
  });

  it('offers timeout= where the command takes one, and matcher fields for expect and recv', () => {
    assert.ok(labels('sr1 tcp flags=S ti')!.includes('timeout='));
    assert.equal(labels('send tcp ti'), null);
    assert.deepEqual(apply('recv ti'), { line: 'recv timeout=', candidates: [] });
    assert.ok(labels('expect ')!.includes('len='));
  });

  it('lists the flag letters not yet written', () => {
    assert.deepEqual(labels('send tcp flags='), ['F', 'S', 'R', 'P', 'A', 'U', 'E', 'C']);
    assert.deepEqual(labels('send tcp flags=SA'), ['F', 'R', 'P', 'U', 'E', 'C']);
    assert.equal(labels('send tcp flags=SYN|'), null);
  });

  it('completes option names after opts= and after a comma', () => {
    assert.deepEqual(apply('send tcp opts=ms'), { line: 'send tcp opts=mss:', candidates: [] });
    assert.deepEqual(apply('send tcp opts=mss:1460,sa'), { line: 'send tcp opts=mss:1460,sack', candidates: ['sackok', 'sack:'] });
    assert.equal(labels('send tcp opts=mss:14'), null);
  });

  it('completes variables and their fields inside a value', () => {
    assert.deepEqual(apply('send tcp ack=$r'), { line: 'send tcp ack=$rx', candidates: [] });
    assert.ok(labels('send tcp ack=$rx.')!.includes('$rx.seq'));
    assert.deepEqual(apply('send tcp ack=$rx.se'), { line: 'send tcp ack=$rx.seq', candidates: [] });
    assert.deepEqual(apply('send tcp seq=$tx.seq+$tx.l'), { line: 'send tcp seq=$tx.seq+$tx.len', candidates: [] });
    assert.deepEqual(apply('send tcp dport=$server.p'), { line: 'send tcp dport=$server.port', candidates: [] });
    assert.ok(labels('send tcp ack=$rx[-2].')!.includes('$rx[-2].ack'));
    assert.equal(labels('send tcp ack=$pkt[3'), null);
  });

  it('leaves a quoted payload alone', () => {
    assert.equal(labels('send tcp data="hel'), null);
    assert.equal(labels('send tcp data="a b" fl')!.includes('flags='), true);
  });
});

describe('completion: words in their place', () => {
  it('completes behaviours, ls topics, help topics and packet references', () => {
    assert.deepEqual(apply('server close'), { line: 'server close-after=', candidates: [] });
    assert.deepEqual(apply('server ec'), { line: 'server echo ', candidates: [] });
    assert.deepEqual(apply('ls v'), { line: 'ls vars ', candidates: [] });
    assert.deepEqual(apply('help rec'), { line: 'help recv ', candidates: [] });
    assert.ok(labels('show ')!.includes('$rx'));
    assert.equal(labels('reset '), null);
  });

  describe('files after pcap save', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcplab-complete-'));
    mkdirSync(join(dir, 'captures'));
    writeFileSync(join(dir, 'captures', 'handshake.pcapng'), '');
    writeFileSync(join(dir, 'captures', 'hello.pcapng'), '');
    after(() => rmSync(dir, { recursive: true, force: true }));
    const inDir = (text: string) => completeAt(data, text, text.length, dir)?.candidates.map((c) => c.insert) ?? null;

    it('completes the action, then folders and files', () => {
      assert.deepEqual(completeAt(data, 'pcap s', 6, dir)?.candidates.map((c) => c.insert), ['save ']);
      assert.deepEqual(inDir('pcap save cap'), ['captures/']);
      assert.deepEqual(inDir('pcap save captures/h'), ['captures/handshake.pcapng', 'captures/hello.pcapng']);
      assert.equal(inDir('pcap save nothing-here/'), null);
    });
  });
});

describe('completion at a cursor inside the line', () => {
  it('completes the word up to the cursor and keeps what follows', () => {
    const text = 'send tcp fl seq=1';
    assert.deepEqual(apply(text, 11), { line: 'send tcp flags= seq=1', candidates: [] });
  });
});
