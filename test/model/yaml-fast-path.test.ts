// The YAML fast path against `yaml` itself: whenever parseCommonYaml answers, the answer equals
// parseDocument(…).toJS() and yaml finds no error in the text; when it is not sure it says so.
// Checked on every compose file of the shared corpus, the examples and the fixtures, on a table of
// tricky snippets, and on generated and mutated documents (fast-check).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument, stringify } from 'yaml';
import { parseSource } from '../../src/model/source.js';
import { parseCommonYaml } from '../../src/model/yaml-fast-path.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const corpus = resolve(repoRoot, '../shared/corpus');

/** yaml's reading, with the options source.ts uses. */
function full(text: string): { value: unknown; errors: number } {
  const doc = parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: true, merge: true, prettyErrors: false, strict: false });
  if (doc.errors.length > 0) return { value: undefined, errors: doc.errors.length };
  try {
    return { value: doc.toJS({ maxAliasCount: 1000 }), errors: 0 };
  } catch {
    return { value: undefined, errors: 1 };
  }
}

/** The property: not sure, or exactly what yaml reads from an error-free text. */
function expectAgreement(text: string): boolean {
  const fast = parseCommonYaml(text);
  if (fast === undefined) return false;
  const reference = full(text);
  expect(reference.errors, `fast path accepted text yaml rejects:\n${text}`).toBe(0);
  expect(fast.value, `fast path differs from yaml on:\n${text}`).toStrictEqual(reference.value);
  return true;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

describe('YAML fast path', () => {
  it('agrees with yaml on every file of the corpus, the examples and the fixtures, and reads most of the corpus', () => {
    const corpusFiles = yamlFiles(corpus);
    const ownFiles = [...yamlFiles(join(repoRoot, 'examples')), ...yamlFiles(join(repoRoot, 'test/fixtures'))];
    expect(corpusFiles.length).toBeGreaterThan(50);
    let fastInCorpus = 0;
    for (const file of [...corpusFiles, ...ownFiles]) {
      const raw = readFileSync(file, 'utf8');
      const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      const fast = expectAgreement(text);
      if (fast && file.startsWith(corpus)) fastInCorpus++;
    }
    // If the fast path stopped reading real files it would cost nothing in correctness and all of
    // its speed: most of the corpus is plain block YAML.
    expect(fastInCorpus / corpusFiles.length).toBeGreaterThan(0.9);
  });

  const SAME: readonly (readonly [string, string])[] = [
    ['plain values', 'a: b\nc: d e  \nurl: http://x:80/y\nk:v: w\n'],
    ['null, booleans and numbers as the core schema reads them',
      'a: ~\nb: null\nc: Null\nd:\ne: true\nf: False\ng: TRUE\nh: yes\ni: 0o17\nj: 0x1F\nk: +5\nl: -0\nm: 007\nn: 1_000\no: 1e3\np: .5\nq: 5.\nr: .inf\ns: -.Inf\nt: .NaN\nu: 12345678901234567890\nv: 1.50\nw: 0o8\nx: 0xG\n'],
    ['comments everywhere', '# top\na: 1 # one\n  # indented comment\nb: # nothing here\n  - x # item\n#end\n'],
    ['a # without a space before it is text', 'a: x#y\nb: "#"\n'],
    ['quoted scalars and escapes', 'a: "x \\"y\\" \\\\ \\n \\t \\u00e9 \\x41 \\U0001F600 \\/"\nb: \'it\'\'s\'\n"c d": 1\n\'e\': 2\nf: ""\ng: \'\'\n'],
    ['a sequence at its key\'s indentation', 'a:\n- 1\n- two\nb: 3\n'],
    ['nested sequences and compact mappings', 'a:\n  - - x\n    - y\n  - k: v\n    l: w\n  -\n    m: n\n  - \n  -\n'],
    ['flow lists of scalars and empty collections', 'a: [x, "y z", 1, true, ~, \'q\']\nb: []\nc: {}\nd: [ a , b ]\n'],
    ['a scalar on the line below its key', 'a:\n  value\nb:\n  "quoted"\n'],
    ['literal block scalars', 'a: |\n  line 1\n    indented\n\n  line 3\nb: |-\n  stripped\n\nc: |+\n  kept\n\n\nd: 1\n'],
    ['folded block scalars', 'a: >\n  one\n  two\n\n  three\nb: >-\n  x\n  y\nc: >+\n  z\n\n'],
    ['block scalars at the end of the file', 'a: |\n  x\n'],
    ['kept block scalar at the end of the file', 'a: |+\n  x\n\n'],
    ['block scalar in a sequence', 'a:\n  - |\n    echo hi\n  - >-\n    folded\n'],
    ['keys with dots, slashes and dashes', 'x-ext: 1\ncom.example.label: v\n-a: 2\n/path: 3\n'],
    ['a dash, a question mark or a colon followed by text starts a plain scalar', 'a: -x\nb: ?y\nc: :z\nd: [-1, ?a]\n'],
    ['quotes inside a plain scalar', 'a: it\'s "fine"\nb: echo "a:b"\n'],
    ['spaces before the colon', 'a   : 1\n"b"  : 2\n'],
    ['an empty document', '# only a comment\n\n'],
    ['deeper indentation of nested maps', 'a:\n      b:\n         c: 1\n      d: 2\n'],
    ['keys named like Object.prototype members', 'constructor: 1\ntoString: 2\nhasOwnProperty: 3\n'],
    ['unicode text', 'a: héllo wörld ✓ 😀\n"ключ": значение\n'],
    ['kept block scalars followed by comments', 'a: |+\n  x\n# end\nb: |+\n  y\n\n# c\n\nc:\n  d: >+\n    z\n  # e\n'],
    ['a kept block scalar, then a comment at the end of the file', 'a: |+\n  x\n\n# c\n'],
    ['a kept block scalar, then a comment without a final line break', 'x: |+\n  a\n#c'],
    ['white space other than spaces at the end of plain scalars and keys', 'k: x\u00a0\na\u00a0: 1\nl: [x\u3000, y\u2009]\nm: y\u2029\n'],
    ['keys that only look like document markers', 'x: 0\n---a: 1\n...b: 2\n'],
  ];
  it.each(SAME)('reads %s as yaml does', (_name, text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  const NOT_SURE: readonly (readonly [string, string])[] = [
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !reset []\nb: !!str 5\n'],
    ['merge keys', 'a: {}\n<<: {}\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['duplicate keys, one quoted', 'a: 1\n"a": 2\n'],
    ['tabs', 'a:\n\tb: 1\n'],
    ['CR line ends', 'a: 1\r\nb: 2\r\n'],
    ['document markers', '---\na: 1\n'],
    ['directives', '%YAML 1.2\n---\na: 1\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a document marker before a key', 'a: 1\n--- b: 2\n'],
    ['a document end marker before a key', 'a:\n  b: 1\n... c: 2\n'],
    ['multi-line plain scalars', 'a: one\n  two\n'],
    ['multi-line quoted scalars', 'a: "one\n  two"\n'],
    ['multi-line flow lists', 'a: [1,\n  2]\n'],
    ['flow mappings', 'a: {b: 1}\n'],
    ['nested flow lists', 'a: [[1], 2]\n'],
    ['trailing commas', 'a: [1, 2,]\n'],
    ['a mapping inside a plain value', 'a: b: c\n'],
    ['a comment without a space after a quote', 'a: "x"#y\n'],
    ['complex keys', '? a\n: 1\n'],
    ['a top-level sequence', '- a\n- b\n'],
    ['a top-level scalar', 'just text\n'],
    ['numeric, boolean and null keys', '1: a\n'],
    ['boolean keys', 'true: a\n'],
    ['__proto__ keys', '__proto__: 1\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['block scalar indentation indicators', 'a: |2\n    x\n'],
    ['block scalars without content', 'a: |\nb: 1\n'],
    ['block scalars ending the file without a line break', 'a: |\n  x'],
    ['folded scalars with more-indented lines', 'a: >\n  x\n    y\n'],
    ['reserved indicators', 'a: @x\nb: `y`\n'],
    ['unknown escapes', 'a: "\\q"\n'],
    ['a line that is not a key', 'a: 1\nb\n'],
    ['a dash right after a key', 'a: - b\n'],
  ];
  it.each(NOT_SURE)('leaves %s to yaml', (_name, text) => {
    expect(parseCommonYaml(text)).toBeUndefined();
  });

  it('agrees with yaml on documents yaml itself writes, in its several styles', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }), fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null),
      fc.constantFrom('~', 'yes', '0x1F', '0o17', '1e3', '.inf', '-', '- a', 'a: b', '#', 'a #b', '"q"', "'s'", '[x]', '{}', '&a', '*a', '!t', '|', '>', '@', '`', 'line\nbreak', 'trailing ', ' leading', '', 'é😀', 'nbsp\u00a0', 'kept\n\n'),
    );
    const key = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom('image', 'x-a', 'a.b', 'a b', 'a:b', '1', 'true', 'null', '<<', '-k'));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ maxDepth: 4, depthSize: 'small' }, scalar, tie('map'), tie('list')),
      map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
      list: fc.array(tie('node'), { maxLength: 4 }),
    }));
    const options = fc.record({
      indent: fc.integer({ min: 1, max: 4 }),
      indentSeq: fc.boolean(),
      flowCollectionPadding: fc.boolean(),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
      lineWidth: fc.constantFrom(0, 20, 80),
    } as const);
    let fastCount = 0;
    fc.assert(fc.property(fc.dictionary(key, tree.node, { minKeys: 1, maxKeys: 6 }), options, (value, opts) => {
      const text = stringify(value, { ...opts, collectionStyle: 'block' });
      if (expectAgreement(text)) fastCount++;
    }), { numRuns: 600 });
    // Most of what yaml writes in block style is the fast path's to read.
    expect(fastCount).toBeGreaterThan(100);
  });

  it('agrees with yaml on mutated compose files', () => {
    const sample = yamlFiles(corpus).slice(0, 40).map((file) => readFileSync(file, 'utf8'));
    const mutation = fc.record({
      file: fc.nat({ max: sample.length - 1 }),
      at: fc.nat(),
      remove: fc.nat({ max: 3 }),
      insert: fc.array(fc.constantFrom(' ', '  ', '\n', '-', '- ', ':', ': ', '#', ' #', '"', "'", '|', '>', '|-', '>+', '[', ']', '{', '}', ',', '&a', '*a', '!', '\\', 'x', '1', '\n  ', '\n- ', '|+', '>+', '\n# c', '\n--- ', '\n... ', '\u00a0', '\u3000'), { maxLength: 3 }),
    }, { requiredKeys: ['file', 'at', 'remove', 'insert'] });
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
      let text = sample[mutations[0]?.file ?? 0] ?? '';
      for (const m of mutations) {
        const at = text.length === 0 ? 0 : m.at % text.length;
        text = text.slice(0, at) + m.insert.join('') + text.slice(at + m.remove);
      }
      expectAgreement(text);
    }), { numRuns: 1500 });
  });

  it('gives the same source either way, building yaml\'s document only when asked', () => {
    const text = 'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n';
    const source = parseSource('/p/compose.yaml', text);
    expect(source.tree).toStrictEqual(full(text).value);
    expect(source.tags).toStrictEqual([]);
    // The document, when asked for, has the positions the located messages need.
    const ports = source.doc.getIn(['services', 'web', 'ports', 0], true) as { range?: [number, number, number] } | undefined;
    expect(source.lineCounter.linePos(ports?.range?.[0] ?? 0)).toStrictEqual({ line: 5, col: 9 });
    // A text the fast path leaves alone is parsed at once, tags and all.
    const tagged = parseSource('/p/compose.yaml', 'services:\n  web:\n    ports: !reset []\n');
    expect(tagged.tags).toStrictEqual([{ path: ['services', 'web', 'ports'], tag: 'reset' }]);
  });
});
