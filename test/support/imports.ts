// Reads the import graph of src/ from the TypeScript sources, for tests that check layering and
// what a command loads. Uses the compiler's parser, so strings and comments never count.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** The module specifier as written: './load.js', 'yaml', 'node:fs'. */
  readonly specifier: string;
  /** `import type …`, or every named binding marked `type`: erased at run time. */
  readonly typeOnly: boolean;
  /** `import('…')`: loaded only when that code runs. */
  readonly dynamic: boolean;
  /** The .ts file a relative specifier names; undefined for packages and built-ins. */
  readonly target?: string;
}

export interface SourceScan {
  readonly imports: readonly ImportEdge[];
  /** `process.stdout` / `process.stderr` references, as 'line: text'. */
  readonly stdio: readonly string[];
}

const cache = new Map<string, SourceScan>();

/** Every .ts file under `dir`, recursively. */
export function listSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSources(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

export function scanSource(file: string): SourceScan {
  const hit = cache.get(file);
  if (hit) return hit;
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const imports: ImportEdge[] = [];
  const stdio: string[] = [];
  const add = (specifier: string, typeOnly: boolean, dynamic: boolean): void => {
    const target = specifier.startsWith('.') ? localFile(resolve(dirname(file), specifier)) : undefined;
    imports.push({ specifier, typeOnly, dynamic, ...(target ? { target } : {}) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, isTypeOnlyImport(node), false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly, false);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) add(argument.text, false, true);
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      // Generated code (the precompiled schema validator) loads its runtime helpers this way.
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) add(argument.text, false, false);
    } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'process' && (node.name.text === 'stdout' || node.name.text === 'stderr')) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      stdio.push(`${line + 1}: ${node.getText()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const scan = { imports, stdio };
  cache.set(file, scan);
  return scan;
}

/** The source behind a relative specifier: the .ts for a .js name, else the file itself (generated JS). */
function localFile(path: string): string {
  const ts_ = path.replace(/\.js$/, '.ts');
  return existsSync(ts_) ? ts_ : path;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (clause === undefined) return false; // `import './x.js'` runs x
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** 'dockerode', '@scope/pkg', 'node:fs' from a bare specifier. */
export function packageOf(specifier: string): string {
  if (specifier.startsWith('node:')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export interface LoadGraph {
  /** Each package loaded, with the chain of files that pulls it in (for failure messages). */
  readonly packages: ReadonlyMap<string, readonly string[]>;
  /** Each local file loaded (relative to the root), with its chain likewise. */
  readonly files: ReadonlyMap<string, readonly string[]>;
}

/**
 * What importing `entries` loads at start-up: static value imports (and require calls) followed
 * through local files; dynamic import() and type-only imports are not followed.
 */
export function loadGraph(entries: readonly string[], root: string): LoadGraph {
  const packages = new Map<string, string[]>();
  const files = new Map<string, string[]>();
  const walk = (file: string, chain: readonly string[]): void => {
    const name = relative(root, file);
    if (files.has(name)) return;
    const here = [...chain, name];
    files.set(name, here);
    for (const edge of scanSource(file).imports) {
      if (edge.typeOnly || edge.dynamic) continue;
      if (edge.target !== undefined) walk(edge.target, here);
      else if (!packages.has(packageOf(edge.specifier))) packages.set(packageOf(edge.specifier), here);
    }
  };
  for (const entry of entries) walk(entry, []);
  return { packages, files };
}
