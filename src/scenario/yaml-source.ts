import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { InputError } from '../util/errors.js';
import { formatLimit, SCENARIO_LIMITS } from './limits.js';

/** A parsed YAML file that can say where any field path sits in the text. */
export class YamlSource {
  private constructor(
    readonly file: string,
    readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  static parse(file: string, text: string): YamlSource {
    const lines = new LineCounter();
    let document: Document;
    try {
      document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    } catch (error) {
      // The parser recurses per nesting level; a hostile file can still exhaust the stack.
      throw new InputError(tooDeep(error) ? nestingMessage() : `YAML syntax error: ${String(error)}`, file, 1, 1);
    }
    const error = document.errors[0];
    if (error !== undefined) {
      const position = lines.linePos(error.pos[0]);
      const summary = error.message.split('\n')[0] ?? error.message;
      const message = /Maximum call stack/.test(summary) ? nestingMessage() : `YAML syntax error: ${summary.replace(/ at line \d+, column \d+:?$/, '')}`;
      throw new InputError(message, file, position.line, position.col);
    }
    const source = new YamlSource(file, document, lines);
    source.checkShape();
    return source;
  }

  /**
   * The document as plain data. Alias expansion is bounded: "billion laughs" (aliases of aliases)
   * would otherwise build a structure exponentially larger than the file.
   */
  toData(): unknown {
    try {
      return this.document.toJS({ maxAliasCount: SCENARIO_LIMITS.yamlAliases });
    } catch (error) {
      if (tooDeep(error)) throw new InputError(nestingMessage(), this.file, 1, 1);
      const message = error instanceof Error ? error.message : String(error);
      const why = /Excessive alias count/.test(message) ? `aliases expand to more than ${formatLimit(SCENARIO_LIMITS.yamlAliases)} nodes (an alias bomb?)` : message;
      throw new InputError(`YAML error: ${why}`, this.file, 1, 1);
    }
  }

  /** The 1-based line and column of the field at `path`, or of its nearest ancestor present. */
  position(path: readonly (string | number)[]): { line: number; column: number } | undefined {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? this.document.contents : this.nodeAt(path.slice(0, depth));
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range !== undefined) {
        const { line, col } = this.lines.linePos(range[0]);
        return { line, column: col };
      }
    }
    return undefined;
  }

  /**
   * Refuses nesting deeper than the limit and aliases with no anchor before them, naming the
   * place. The walk keeps its own stack (document order: keys before values), so a deep file
   * cannot overflow ours.
   */
  private checkShape(): void {
    const anchors = new Set<string>();
    // `anchored` marks the end of an anchored node: only then may aliases name it (an alias
    // inside its own anchor would make a cycle).
    const stack: { node: unknown; depth: number; anchored?: string }[] = [{ node: this.document.contents, depth: 0 }];
    while (stack.length > 0) {
      const { node, depth, anchored } = stack.pop()!;
      if (anchored !== undefined) {
        anchors.add(anchored);
        continue;
      }
      if (node === null || node === undefined) continue;
      if (depth > SCENARIO_LIMITS.yamlDepth) throw this.errorAt(node, nestingMessage());
      if (isAlias(node)) {
        if (!anchors.has(node.source)) throw this.errorAt(node, `YAML error: alias *${node.source} has no anchor &${node.source} before it`);
        continue;
      }
      const anchor = (node as { anchor?: string }).anchor;
      if (anchor !== undefined) stack.push({ node: undefined, depth, anchored: anchor });
      if (isScalar(node)) continue;
      if (isPair(node)) {
        // `? [a, b]: 1`: a list or map as a key has no field name (and the YAML library would
        // print a warning about it on stderr, a second line).
        if (isMap(node.key) || isSeq(node.key)) throw this.errorAt(node.key, 'YAML error: a key must be a field name, not a list or map');
        if (isScalar(node.key) && node.key.value !== null && typeof node.key.value === 'object') throw this.errorAt(node.key, 'YAML error: a key must be a field name, not binary data or a date');
        stack.push({ node: node.value, depth }, { node: node.key, depth });
      } else if (isMap(node) || isSeq(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], depth: depth + 1 });
      }
    }
  }

  private errorAt(node: unknown, message: string): InputError {
    const range = (node as { range?: [number, number, number] }).range;
    const position = range === undefined ? { line: 1, col: 1 } : this.lines.linePos(range[0]);
    return new InputError(message, this.file, position.line, position.col);
  }

  /** The key node itself for a map entry, so an unknown field points at its name. */
  private nodeAt(path: readonly (string | number)[]): unknown {
    const parent = path.length === 1 ? this.document.contents : this.document.getIn(path.slice(0, -1), true);
    const last = path[path.length - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === last);
      return pair?.key ?? undefined;
    }
    if (isSeq(parent) && typeof last === 'number') return parent.items[last];
    return undefined;
  }
}

function tooDeep(error: unknown): boolean {
  return error instanceof RangeError && /Maximum call stack/.test(error.message);
}

function nestingMessage(): string {
  return `YAML nesting is deeper than ${SCENARIO_LIMITS.yamlDepth} levels (the limit for a scenario)`;
}
