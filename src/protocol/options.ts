import { expectedOneOf } from '../util/did-you-mean.js';

/**
 * One way for every protocol to declare its `protocol.options`: a table of fields, each with its
 * kind, default, bounds, unit and a line of documentation. The table validates (same wording,
 * same handling of absent values, unknown keys rejected with the valid list) and describes
 * itself for `faultline list`.
 */

/** Thrown while parsing options; `path` is relative to `protocol.options` (`''` for the whole mapping). */
export class OptionsError extends Error {
  override readonly name = 'OptionsError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export type OptionUnit = 'ms' | 'entries' | 'messages' | 'requests';

const UNIT_WORDS: Record<OptionUnit, string> = { ms: 'milliseconds', entries: 'entries', messages: 'messages', requests: 'requests' };

interface FieldCommon<T> {
  readonly default: T;
  /** One line for `faultline list`. */
  readonly doc: string;
  /** A deliberately broken behaviour, for demonstrations and tests; `list` marks it. */
  readonly plantedBug?: boolean;
}

export interface IntegerField extends FieldCommon<number> {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
  readonly unit?: OptionUnit;
  /**
   * The range swarm mode draws from when the scenario leaves the option unset: values where the
   * protocol must stay safe and live, so thresholds and bounds get exercised (issue 21).
   */
  readonly swarm?: readonly [number, number];
}

export interface BooleanField extends FieldCommon<boolean> {
  readonly kind: 'boolean';
  /** For a planted bug: where the mistake comes from (a paper's section, a public issue). */
  readonly source?: string;
  /** For a planted bug: the invariant or check expected to catch it. */
  readonly caughtBy?: string;
  /** Swarm mode draws it (true or false) when the scenario leaves it unset; never for a planted bug. */
  readonly swarm?: boolean;
}

export interface ChoiceField<C extends string = string> extends FieldCommon<C> {
  readonly kind: 'choice';
  readonly choices: readonly C[];
}

export type OptionField<T = unknown> = 0 extends 1 & T ? AnyOptionField : [T] extends [number] ? IntegerField : [T] extends [boolean] ? BooleanField : [T] extends [string] ? ChoiceField<T> : never;
export type AnyOptionField = IntegerField | BooleanField | ChoiceField;

export function integer(spec: { default: number; min?: number; max?: number; unit?: OptionUnit; doc: string; swarm?: readonly [number, number] }): IntegerField {
  return { kind: 'integer', min: spec.min ?? 1, max: spec.max ?? Number.MAX_SAFE_INTEGER, ...spec };
}

export function boolean(spec: { default: boolean; doc: string; plantedBug?: boolean; source?: string; caughtBy?: string; swarm?: boolean }): BooleanField {
  if (spec.plantedBug === true && spec.swarm === true) throw new Error('a planted bug is never drawn by swarm mode');
  return { kind: 'boolean', ...spec };
}

export function choice<const C extends string>(choices: readonly C[], spec: { default: C; doc: string }): ChoiceField<C> {
  return { kind: 'choice', choices, ...spec };
}

export type OptionFields<O> = { readonly [K in keyof O]-?: OptionField<O[K]> };

/** How `faultline list` shows one option. */
export interface OptionDescription {
  name: string;
  kind: AnyOptionField['kind'];
  default: number | boolean | string;
  doc: string;
  unit?: OptionUnit;
  min?: number;
  max?: number;
  choices?: readonly string[];
  plantedBug?: boolean;
  source?: string;
  caughtBy?: string;
  /** What swarm mode draws from: `[min, max]`, or `true` for a boolean it flips. */
  swarm?: readonly [number, number] | true;
}

export interface OptionsSpec<O> {
  readonly fields: OptionFields<O>;
  /** Validates `protocol.options` and fills in defaults; throws `OptionsError`. */
  parse(raw: unknown): O;
  defaults(): O;
  describe(): OptionDescription[];
}

/**
 * Declares a protocol's options. `relations` checks rules between fields after each field is
 * valid (throw `OptionsError` naming the field to change).
 */
export function defineOptions<O extends object>(protocol: string, fields: OptionFields<O>, relations?: (options: O) => void): OptionsSpec<O> {
  const entries = Object.entries(fields) as [string, AnyOptionField][];
  const names = entries.map(([name]) => name);
  const defaults = (): O => Object.fromEntries(entries.map(([name, field]) => [name, field.default])) as O;
  return {
    fields,
    defaults,
    describe: () => entries.map(([name, field]) => describeField(name, field)),
    parse(raw: unknown): O {
      // Absent, empty (`options:` with nothing after it) and `{}` all mean "the defaults".
      if (raw === undefined || raw === null) return defaults();
      if (typeof raw !== 'object' || Array.isArray(raw)) {
        throw new OptionsError('', `expected a mapping of ${protocol} options, got ${describeValue(raw)}`);
      }
      const options = defaults() as Record<string, unknown>;
      for (const [name, value] of Object.entries(raw)) {
        const field = (fields as Record<string, AnyOptionField | undefined>)[name];
        if (field === undefined) throw new OptionsError(name, `unknown ${protocol} option "${name}"; ${expectedOneOf(name, names)}`);
        if (value === undefined) continue;
        checkValue(name, field, value);
        options[name] = value;
      }
      relations?.(options as O);
      return options as O;
    },
  };
}

function checkValue(name: string, field: AnyOptionField, value: unknown): void {
  switch (field.kind) {
    case 'integer': {
      if (typeof value === 'number' && Number.isInteger(value) && value >= field.min && value <= field.max) return;
      throw new OptionsError(name, `expected ${integerRange(field)}, got ${describeValue(value)}`);
    }
    case 'boolean':
      if (typeof value === 'boolean') return;
      throw new OptionsError(name, `expected true or false, got ${describeValue(value)}`);
    case 'choice':
      if (typeof value === 'string' && field.choices.includes(value)) return;
      throw new OptionsError(name, `expected one of ${field.choices.join(', ')}, got ${describeValue(value)}`);
    default:
      return field satisfies never;
  }
}

/** `an integer number of milliseconds from 1 to 10000` */
function integerRange(field: IntegerField): string {
  const what = field.unit === undefined ? 'an integer' : `an integer number of ${UNIT_WORDS[field.unit]}`;
  if (field.max === Number.MAX_SAFE_INTEGER) return `${what} of at least ${field.min}`;
  return `${what} from ${field.min} to ${field.max}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value) ?? String(value);
}

function describeField(name: string, field: AnyOptionField): OptionDescription {
  const out: OptionDescription = { name, kind: field.kind, default: field.default, doc: field.doc };
  if (field.kind === 'integer') {
    if (field.unit !== undefined) out.unit = field.unit;
    out.min = field.min;
    if (field.max !== Number.MAX_SAFE_INTEGER) out.max = field.max;
  }
  if (field.kind === 'choice') out.choices = field.choices;
  if (field.plantedBug === true) out.plantedBug = true;
  if (field.kind === 'boolean' && field.source !== undefined) out.source = field.source;
  if (field.kind === 'boolean' && field.caughtBy !== undefined) out.caughtBy = field.caughtBy;
  if (field.kind === 'integer' && field.swarm !== undefined) out.swarm = field.swarm;
  if (field.kind === 'boolean' && field.swarm === true) out.swarm = true;
  return out;
}

/** For a protocol with nothing to configure: any key is unknown. */
export function noOptions(protocol: string): OptionsSpec<Record<string, never>> {
  return defineOptions<Record<string, never>>(protocol, {});
}
