import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JsonSyntaxError, parseJsonDocument } from '../../src/lesson/pack/json-source.js';

function syntaxError(text: string): [number, string] {
  try {
    parseJsonDocument(text);
  } catch (error) {
    assert.ok(error instanceof JsonSyntaxError);
    return [error.offset, error.message];
  }
  assert.fail(`${text} parsed`);
}

describe('JSON with positions', () => {
  test('reads what JSON.parse reads', () => {
    for (const text of ['{}', '[]', '0', '-1.5e3', '"a\\u00e9\\n"', 'true', 'null', '{"a":[1,{"b":null}],"c":"d"}', ' {\n "x" : [ ] } ']) {
      assert.deepEqual(parseJsonDocument(text).value, JSON.parse(text), text);
    }
  });

  test('knows where every key and value starts', () => {
    const doc = parseJsonDocument('{\n  "name": "x",\n  "lessons": ["a.md", "b.md"]\n}');
    assert.equal(doc.valueOffset([]), 0);
    assert.equal(doc.keyOffset(['name']), 4);
    assert.equal(doc.valueOffset(['name']), 12);
    assert.equal(doc.valueOffset(['lessons', 1]), 39);
    assert.equal(doc.valueOffset(['missing']), null);
    assert.equal(doc.keyOffset(['lessons', 0]), null);
  });

  test('says what was expected where', () => {
    assert.deepEqual(syntaxError('{"a": 1,}'), [8, "expected a field name in double quotes, got '}'; JSON allows no comma before '}'"]);
    assert.deepEqual(syntaxError('[1, 2,]'), [6, "expected a value, got ']'; JSON allows no comma before ']'"]);
    assert.deepEqual(syntaxError('{"a" 1}'), [5, 'expected \':\' after "a", got \'1\'']);
    assert.deepEqual(syntaxError('{"a": 1 "b": 2}'), [8, 'expected \',\' or \'}\' after the value of "a", got \'"\'']);
    assert.deepEqual(syntaxError("{'a': 1}"), [1, "expected a field name in double quotes, got '''"]);
    assert.deepEqual(syntaxError('{"a": \'x\'}'), [6, "expected a value, got '''; JSON strings use double quotes"]);
    assert.deepEqual(syntaxError('{"a": 1} // note'), [9, 'expected the end of the file after the value, got a comment (JSON has none)']);
    assert.deepEqual(syntaxError('{"a": "b'), [6, 'this string is never closed: end it with "']);
    assert.deepEqual(syntaxError('{"a": 1, "a": 2}'), [9, "the field 'a' is given twice"]);
    assert.deepEqual(syntaxError(''), [0, 'expected a value, got the end of the file']);
    assert.deepEqual(syntaxError('{"a": "\\x"}'), [6, 'this string has a bad escape: JSON knows \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX']);
  });
});
