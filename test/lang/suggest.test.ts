import assert from 'node:assert/strict';
import { test } from 'node:test';
import { didYouMean, editDistance, suggest } from '../../src/lang/suggest.js';

test('edit distance counts insertions, deletions, substitutions and adjacent swaps as one each', () => {
  assert.equal(editDistance('flags', 'flags'), 0);
  assert.equal(editDistance('flgs', 'flags'), 1);
  assert.equal(editDistance('sqe', 'seq'), 1);
  assert.equal(editDistance('mms', 'mss'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('suggests the closest name, ignoring case, only when it is a likely typo', () => {
  const fields = ['src', 'dst', 'seq', 'ack', 'flags', 'win'];
  assert.equal(suggest('flgs', fields), 'flags');
  assert.equal(suggest('FLAGS', fields), 'flags');
  assert.equal(suggest('sqe', fields), 'seq');
  assert.equal(suggest('window', fields), undefined);
  assert.equal(suggest('x', fields), undefined);
  assert.equal(suggest('zzzzzz', fields), undefined);
});

test('on a tie the candidate with the same first letter wins', () => {
  assert.equal(suggest('SIN', ['FIN', 'SYN']), 'SYN');
  assert.equal(suggest('FYN', ['FIN', 'SYN']), 'FIN');
});

test('didYouMean phrases the suggestion for a message', () => {
  assert.equal(didYouMean('flgs', ['flags']), "did you mean 'flags'?");
  assert.equal(didYouMean('sqe', ['seq'], (s) => `'.${s}'`), "did you mean '.seq'?");
  assert.equal(didYouMean('nothing', ['seq']), undefined);
});
