import type { OptionDescription } from './options.js';
import type { AnyProtocol } from './protocol.js';

/** What `faultline list` shows of one protocol: everything a scenario may name. */
export interface ProtocolDescription {
  name: string;
  description: string;
  messages: { name: string; doc: string }[];
  timers: { name: string; doc: string }[];
  marks: { name: string; doc: string }[];
  options: OptionDescription[];
}

export function describeProtocol(protocol: AnyProtocol): ProtocolDescription {
  const named = (table: Record<string, string> | undefined) => Object.entries(table ?? {}).map(([name, doc]) => ({ name, doc }));
  return {
    name: protocol.name,
    description: protocol.description,
    messages: named(protocol.messages),
    timers: named(protocol.timers),
    marks: named(protocol.marks),
    options: protocol.options.describe(),
  };
}

/** `electionTimeoutMinMs = 150 ms (integer ≥ 1)`, one line per option. */
export function renderOption(option: OptionDescription): string {
  const unit = option.unit === undefined ? '' : ` ${option.unit}`;
  let range = '';
  if (option.kind === 'integer') range = option.max === undefined ? ` (integer ≥ ${option.min})` : ` (integer ${option.min}..${option.max})`;
  if (option.kind === 'choice') range = ` (${option.choices!.join(' | ')})`;
  const bug = option.plantedBug === true ? ' [planted bug]' : '';
  return `${option.name} = ${String(option.default)}${unit}${range}${bug}: ${option.doc}`;
}
