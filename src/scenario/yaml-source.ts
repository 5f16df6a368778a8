import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { InputError } from '../util/errors.js';

/** A parsed YAML file that can say where any field path sits in the text. */
export class YamlSource {
  private constructor(
    readonly file: string,
    readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  static parse(file: string, text: string): YamlSource {
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const error = document.errors[0];
    if (error !== undefined) {
      const position = lines.linePos(error.pos[0]);
      const summary = error.message.split('\n')[0] ?? error.message;
      throw new InputError(`YAML syntax error: ${summary.replace(/ at line \d+, column \d+:?$/, '')}`, file, position.line, position.col);
    }
    return new YamlSource(file, document, lines);
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
