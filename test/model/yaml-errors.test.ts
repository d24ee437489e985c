// Specification of where YAML syntax errors point: at the mistake the user made (the quote or
// bracket left open, the misplaced key), not where the parser happened to notice it.
import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue } from '../../src/errors.js';
import { parseSource } from '../../src/model/source.js';

function syntaxIssues(text: string): ConfigIssue[] {
  try {
    parseSource('compose.yaml', text);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('the text parsed without error');
}

describe('YAML syntax errors are located at the mistake', () => {
  it.each([
    ['an unclosed double quote: at the opening quote', 'services:\n  web:\n    image: "nginx\n', 3, 12, 'YAML syntax error: the " opened here is never closed'],
    ['an unclosed single quote, even after an escaped \'\'', "services:\n  web:\n    command: 'it''s\n", 3, 14, "YAML syntax error: the ' opened here is never closed"],
    ['an unclosed quote with \\" inside', 'x:\n  a: "say \\"hi\n', 2, 6, 'YAML syntax error: the " opened here is never closed'],
    ['an unclosed flow sequence: at its [', 'services:\n  web:\n    ports: ["80:80", "443:443"\n', 3, 12, 'YAML syntax error: the [ opened here is never closed with ]'],
    ['an unclosed flow mapping: at its {', 'services:\n  web: {image: nginx\n', 2, 8, 'YAML syntax error: the { opened here is never closed with }'],
    ['a key indented less than its siblings: at the key', 'services:\n  web:\n    image: nginx\n   ports:\n      - "80:80"\n', 4, 4, 'YAML syntax error: All mapping items must start at the same column'],
  ])('%s', (_name, text, line, column, message) => {
    const [issue] = syntaxIssues(text);
    expect(issue).toMatchObject({ file: 'compose.yaml', line, column, message });
    expect(issue?.snippet).toBe(text.split('\n')[line - 1]);
  });

  it('says how to close an unclosed quote', () => {
    expect(syntaxIssues('name: "app\n')[0]?.hint).toBe('add the closing " at the end of the value');
  });

  it('counts columns after a byte order mark and on CRLF lines as an editor shows them', () => {
    const [issue] = syntaxIssues('\uFEFFservices:\r\n  web:\r\n    image: "nginx\r\n');
    expect(issue).toMatchObject({ line: 3, column: 12, snippet: '    image: "nginx' });
  });

  it('points a NUL byte out where it is', () => {
    expect(syntaxIssues('services:\n  web:\n    im\u0000age: x\n')[0]).toMatchObject({ line: 3, column: 7, message: 'not a text file: it contains a NUL byte' });
  });
});
