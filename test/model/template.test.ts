// Specification of compose variable substitution in one string.
import { describe, expect, it } from 'vitest';
import { substituteTemplate, TemplateError } from '../../src/model/template.js';

const env: Record<string, string> = { FOO: 'first', EMPTY: '', PORT: '8080', B: 'bee' };
const lookup = (name: string): string | undefined => (Object.hasOwn(env, name) ? env[name] : undefined);

describe('substituteTemplate', () => {
  it.each([
    // plain text and escapes
    ['no variables at all', 'plain text', 'plain text'],
    ['$$ is a literal dollar', 'cost: $$5', 'cost: $5'],
    ['$${...} is not substituted', '$${FOO}', '${FOO}'],
    ['$$VAR is not substituted', '$$FOO', '$FOO'],
    ['a lone $ stays', 'a $ string', 'a $ string'],
    ['a trailing $ stays', '^REGEX$', '^REGEX$'],
    ['$} stays', '$}', '$}'],
    ['$ before a digit stays', 'echo $1', 'echo $1'],
    // simple forms
    ['$VAR', 'x $FOO y', 'x first y'],
    ['${VAR}', 'x${FOO}y', 'xfirsty'],
    ['$VAR ends at the first non-name character', '$FOO-bar', 'first-bar'],
    ['names may contain digits and underscores', '${B}_$PORT', 'bee_8080'],
    ['set but empty', '[${EMPTY}]', '[]'],
    // defaults
    [':- uses the default when unset', '${NOPE:-def}', 'def'],
    [':- uses the default when empty', '${EMPTY:-def}', 'def'],
    [':- keeps a set value', '${FOO:-def}', 'first'],
    ['- uses the default when unset', '${NOPE-def}', 'def'],
    ['- keeps an empty value', '[${EMPTY-def}]', '[]'],
    ['a default may be empty', '[${NOPE:-}]', '[]'],
    ['a default may contain :- and /', '${EMPTY:-/non:-alpha}', '/non:-alpha'],
    ['a default may contain spaces', '${NOPE:-a b c}', 'a b c'],
    // alternatives
    [':+ gives the alternative when set and non-empty', '${FOO:+alt}', 'alt'],
    [':+ gives empty when empty', '[${EMPTY:+alt}]', '[]'],
    [':+ gives empty when unset', '[${NOPE:+alt}]', '[]'],
    ['+ gives the alternative when set, even empty', '${EMPTY+alt}', 'alt'],
    ['+ gives empty when unset', '[${NOPE+alt}]', '[]'],
    // required, satisfied
    [':? keeps a set value', '${FOO:?need it}', 'first'],
    ['? accepts an empty value', '[${EMPTY?need it}]', '[]'],
    // nesting
    ['nested default', '${NOPE:-${FOO}}', 'first'],
    ['doubly nested default', '${A:-${NOPE:-x}}', 'x'],
    ['nested default with $VAR', '${NOPE-$FOO}', 'first'],
    ['several templates in a default', '${NOPE-${FOO} and ${B}}', 'first and bee'],
    ['text after a nested template', '${NOPE:-${FOO}}/tail', 'first/tail'],
    ['alternative containing templates', '${EMPTY+$FOO ${FOO:+second}}', 'first second'],
    ['text around templates is untouched', '-ok ${EMPTY:-v} :+ ?', '-ok v :+ ?'],
    ['$$ inside a default', '${NOPE:-$$HOME}', '$HOME'],
    ['a brace in a default closes the template', '${NOPE:-{x}}', '{x}'],
    ['operator precedence: first operator wins', '${NOPE-my?msg}', 'my?msg'],
  ])('%s: %j → %j', (_why, template, expected) => {
    expect(substituteTemplate(template, lookup).value).toBe(expected);
  });

  it.each([
    ['$VAR unset', '$NOPE', ['NOPE']],
    ['${VAR} unset', 'a${NOPE}b', ['NOPE']],
    ['each name once, in order', '$Z ${A} $Z', ['Z', 'A']],
    ['set-but-empty is not unset', '${EMPTY}', []],
    ['a default means no warning', '${NOPE:-x} ${NOPE-y} ${NOPE:+z} ${NOPE+w}', []],
    ['an unused default is not evaluated', '${FOO:-$OTHER}', []],
    ['a used default is evaluated', '${NOPE:-$OTHER}', ['OTHER']],
    ['escaped names are not variables', '$$NOPE', []],
  ])('reports unset variables: %s', (_why, template, unset) => {
    const result = substituteTemplate(template, lookup);
    expect(result.unset).toEqual(unset);
    if (unset.length > 0) expect(result.value).not.toContain('$');
  });

  it.each([
    ['${VAR:?message}, unset', 'x ${DB_PASS:?set a password}', 'required variable DB_PASS is missing a value: set a password'],
    ['${VAR:?message}, empty', '${EMPTY:?must not be empty}', 'required variable EMPTY is missing a value: must not be empty'],
    ['${VAR:?}, no message', '${DB_PASS:?}', 'required variable DB_PASS is missing a value'],
    ['${VAR?message}, unset', '${DB_PASS?needed}', 'required variable DB_PASS is missing a value: needed'],
    ['${VAR?}, no message', '${DB_PASS?}', 'required variable DB_PASS is missing a value'],
    ['the message is interpolated', '${DB_PASS:?ask ${FOO}}', 'required variable DB_PASS is missing a value: ask first'],
    ['a required variable inside a used default', '${NOPE:-${DB_PASS:?no}}', 'required variable DB_PASS is missing a value: no'],
  ])('throws for a missing required variable: %s', (_why, template, message) => {
    const error = catchError(() => substituteTemplate(template, lookup));
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.message).toBe(message);
    expect(error.variable).toBeDefined();
    expect(error.hint).toMatch(/set .* in the shell environment or in the project's \.env file/);
  });

  it('does not evaluate a required check inside an unused default', () => {
    expect(substituteTemplate('${FOO:-${DB_PASS:?no}}', lookup).value).toBe('first');
  });

  it.each([
    ['an unclosed ${', 'a ${', /is not closed by "}"/],
    ['an unclosed ${VAR', '${FOO', /"\$\{FOO" is not closed by "}"/],
    ['an unclosed default', '${FOO:-${B}', /is not closed/],
    ['an empty ${}', '${}', /does not start with a variable name/],
    ['a space before the name', '${ FOO}', /does not start with a variable name/],
    ['a name starting with a digit', '${1X}', /does not start with a variable name/],
    ['a space after the name', '${FOO }', /unexpected " " after the variable name/],
    ['an unknown operator', '${FOO!}', /unexpected "!" after the variable name/],
    ['a colon without operator', '${VAR:x}', /unexpected ":" after the variable name in "\$\{VAR:x\}"/],
    ['a malformed template in an unused default', '${FOO:-${}}', /does not start with a variable name/],
  ])('rejects %s', (_why, template, detail) => {
    const error = catchError(() => substituteTemplate(template, lookup));
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.message).toContain(`invalid interpolation format for "${template}": `);
    expect(error.message).toMatch(detail);
    expect(error.hint).toBe('use $$ for a literal dollar sign');
  });

  it('refuses absurdly deep nesting instead of recursing without bound', () => {
    const deep = '${A:-'.repeat(5000) + 'x' + '}'.repeat(5000);
    expect(() => substituteTemplate(deep, lookup)).toThrow(/nested more than 64 levels/);
  });

  it('shortens a huge template in the error message', () => {
    const error = catchError(() => substituteTemplate(`${'a'.repeat(1000)}\${`, lookup));
    expect(error.message.length).toBeLessThan(300);
  });
});

function catchError(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}
