import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { runScenario } from '../../src/run/run-scenario.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { InputError } from '../../src/util/errors.js';

/**
 * The promise of issue #13 under random damage: every mutant of a shipped scenario either runs
 * (capped short here) or is refused with one InputError line — never a stack trace, a hang or an
 * out-of-memory crash. Most mutants are checked in this process (parse, then a capped run); a
 * few go through the real CLI to hold the "exit 2, one line" end of it.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const shipped = readdirSync(join(ROOT, 'scenarios'))
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => ({ name, text: readFileSync(join(ROOT, 'scenarios', name), 'utf8') }));

/** The caps that keep a valid mutant quick: a billion events or a simulated hour would be allowed. */
const EVENTS_CAP = 20_000;
const DURATION_CAP = 1_000_000; // 1 s simulated

type Mutation =
  | { kind: 'delete'; pick: number }
  | { kind: 'retype'; pick: number; value: unknown }
  | { kind: 'number'; pick: number; value: number | string }
  | { kind: 'syntax'; at: number; text: string };

const replacementValues = fc.constantFrom<unknown>('x', '', true, null, [], {}, [1, 2], { a: 1 }, '10ms', 'random', -1, 0, 0.5);
const extremeNumbers = fc.constantFrom<number | string>(1e300, -1e300, 2 ** 53, -(2 ** 31), -1, 0, 1e9, 0.0001, Number.MAX_SAFE_INTEGER, '1e300s', '-5ms', '1e9h', 'NaN', '.inf', '-.inf');
const syntaxDamage = fc.constantFrom(': :', '\n\t- bad', '[', '{', ']', '}', '*nowhere', '&a ', '\n  - &b [*b]', '"', "'", '\nnodes: 3\nnodes: 4\n', '\n---\n', '%YAML 9.9\n', '\u0000', '? ', '!!binary x', '\n' + ' '.repeat(3) + 'x: 1');

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), pick: fc.nat(), value: replacementValues }),
  fc.record({ kind: fc.constant('number' as const), pick: fc.nat(), value: extremeNumbers }),
  fc.record({ kind: fc.constant('syntax' as const), at: fc.nat(), text: syntaxDamage }),
);

/** Every map entry and list item of the document, as (parent, key) pairs, depth-first. */
function places(document: Document): { parent: Node; key: unknown; value: unknown }[] {
  const found: { parent: Node; key: unknown; value: unknown }[] = [];
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        found.push({ parent: node, key: isScalar(pair.key) ? pair.key.value : pair.key, value: pair.value });
        visit(pair.value);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        found.push({ parent: node, key: index, value: item });
        visit(item);
      });
    }
  };
  visit(document.contents);
  return found;
}

function mutate(text: string, change: Mutation): string {
  if (change.kind === 'syntax') {
    const at = change.at % (text.length + 1);
    return text.slice(0, at) + change.text + text.slice(at);
  }
  const document = parseDocument(text);
  if (document.errors.length > 0) return text; // already broken by an earlier mutation: leave it so
  let candidates = places(document);
  if (change.kind === 'number') candidates = candidates.filter((place) => isScalar(place.value) && (typeof place.value.value === 'number' || /^\d/.test(String(place.value.value))));
  if (candidates.length === 0) return text;
  const place = candidates[change.pick % candidates.length]!;
  const parent = place.parent as unknown as { delete(key: unknown): void; set(key: unknown, value: unknown): void };
  if (change.kind === 'delete') parent.delete(place.key);
  else parent.set(place.key, document.createNode(change.value));
  return document.toString();
}

/** Parses in process: a Scenario, or the InputError a user would see as one line. Anything else fails the test. */
function load(text: string): Scenario | InputError {
  try {
    return parseScenario(text, 'mutant.yaml');
  } catch (error) {
    if (error instanceof InputError) return error;
    throw new Error(`not an InputError (a stack trace for the user): ${(error as Error).stack}\n--- mutant ---\n${text}`);
  }
}

function expectOneLine(error: InputError): void {
  const line = error.describe();
  expect(line, 'one line').not.toMatch(/\n/);
  expect(line).toMatch(/^mutant\.yaml/);
  expect(line.length).toBeLessThan(2000);
}

describe('mutated shipped scenarios: each runs, or is refused with one line', () => {
  it(`covers the ${shipped.length} shipped scenarios`, () => expect(shipped.length).toBeGreaterThan(20));

  it('in process: delete a key, change a type, huge or negative numbers, YAML syntax errors', async () => {
    const outcomes = { ran: 0, refused: 0 };
    // A library warning (process.emitWarning) would be a second line on the user's stderr.
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
    fc.assert(
      fc.property(fc.constantFrom(...shipped), fc.array(mutation, { minLength: 1, maxLength: 3 }), (source, changes) => {
        const text = changes.reduce(mutate, source.text);
        const loaded = load(text);
        if (loaded instanceof InputError) {
          expectOneLine(loaded);
          outcomes.refused++;
          return;
        }
        const capped: Scenario = { ...loaded, duration: Math.min(loaded.duration, DURATION_CAP), limits: { events: Math.min(loaded.limits.events, EVENTS_CAP) } };
        try {
          const { result } = runScenario(capped, { skipLinearizability: true });
          expect(result.events).toBeLessThanOrEqual(EVENTS_CAP + 1);
          outcomes.ran++;
        } catch (error) {
          if (error instanceof InputError) {
            expectOneLine(error);
            outcomes.refused++;
            return;
          }
          throw new Error(`a mutant that loaded crashed the run (${source.name}): ${(error as Error).stack}\n--- mutant ---\n${text}`);
        }
      }),
      { numRuns: 250, seed: 1313 },
    );
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
    // Honest coverage: the generator reaches both ends of the promise.
    expect(outcomes.ran).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(50);
  }, 120_000);

  it('through the real CLI: a refused mutant is exit 2, one line naming the file, no stack trace', () => {
    const directory = mkdtempSync(join(tmpdir(), 'faultline-fuzz-'));
    const refused: string[] = [];
    fc.assert(
      fc.property(fc.constantFrom(...shipped), mutation, (source, change) => {
        if (refused.length >= 3) return;
        const text = mutate(source.text, change);
        if (!(load(text) instanceof InputError)) return;
        refused.push(text);
      }),
      { numRuns: 200, seed: 2626 },
    );
    expect(refused).toHaveLength(3);
    for (const [index, text] of refused.entries()) {
      const file = join(directory, `mutant-${index}.yaml`);
      writeFileSync(file, text);
      const child = spawnSync(process.execPath, [join(ROOT, 'bin/faultline.js'), 'run', file, '--out', join(directory, 'out'), '--no-html'], { encoding: 'utf8', timeout: 30_000 });
      expect(child.status, child.stderr).toBe(2);
      expect(child.stdout).toBe('');
      const lines = child.stderr.trimEnd().split('\n');
      expect(lines, child.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^faultline: .*mutant-${index}\\.yaml`));
      expect(child.stderr).not.toMatch(/^\s+at /m);
    }
  }, 120_000);
});
