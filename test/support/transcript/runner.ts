/**
 * Data-driven transcripts (etcd/raft's style). A file is a sequence of blocks separated by blank
 * lines; each block is optional `#` comment lines, one command, `----`, and the expected output
 * (no blank lines inside). `runTranscript` executes the commands and returns the file as it
 * should read; the test compares it with the file, or writes it back when REWRITE=1.
 *
 * Commands (nodes are numbered from 1):
 *   add-nodes <n> [option=value ...]   create a (fresh) cluster (options as in a scenario)
 *   fire <node> <timer>                fire an armed timer (time moves to its deadline)
 *   advance <ms>                       move time, firing due timers in order
 *   deliver [<from> <to>]              deliver the messages queued now (on one link)
 *   drop [<from> <to>]                 drop the messages queued now (on one link)
 *   duplicate [<from> <to>]            queue a second copy of the messages queued now
 *   stabilize                          deliver until no message is left
 *   partition <a b ...> / <c d ...>    cut every link between the groups
 *   isolate <node> | heal
 *   crash <node> | restart <node>
 *   corrupt <node> <key>               make a disk record fail its checksum
 *   skew <node> <ms>                   offset a node's local clock
 *   drift <node> <percent>             set a node's clock rate (100 = true time; from the start)
 *   timers                             list armed timers with their global deadlines
 *   propose <node> <f> <key> <value> [client=<id>] [sequence=<n>]   a client write
 *   read <node> <key> [client=<id>]    a client read
 *   pending                            list the messages queued now, in order
 *   status [<node>] | log <node> | kv <node> | disk <node>
 *
 * The runner is generic over `Protocol`: a `ProtocolAdapter` says how to show a node's status,
 * log and state machine (see cluster.ts).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Json } from '../../../src/history/operation.js';
import type { Message } from '../../../src/protocol/effects.js';
import { formatMicros, MICROS_PER_MS } from '../../../src/sim/time.js';
import { ProtocolCluster, type ProtocolAdapter } from './cluster.js';

interface Block {
  comments: string[];
  command: string;
}

export function parseTranscript(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  let position = 0;
  while (position < lines.length) {
    const comments: string[] = [];
    while (position < lines.length && (lines[position] === '' || (lines[position] as string).startsWith('#'))) {
      if (lines[position] !== '') comments.push(lines[position] as string);
      position++;
    }
    if (position >= lines.length) {
      if (comments.length > 0) blocks.push({ comments, command: '' });
      break;
    }
    const command = lines[position] as string;
    position++;
    if (lines[position] !== '----') throw new Error(`line ${position + 1}: expected ---- after '${command}'`);
    position++;
    while (position < lines.length && lines[position] !== '') position++;
    blocks.push({ comments, command });
  }
  return blocks;
}

/** `filterSteps`: show the observers only the steps the protocol's step filter lets through. */
export function runTranscript<State, M extends Message, Options, Timer extends string>(
  adapter: ProtocolAdapter<State, M, Options, Timer>,
  path: string,
  filterSteps = false,
): { expected: string; actual: string } {
  const expected = readFileSync(path, 'utf8');
  const blocks = parseTranscript(expected);
  // Seeded by the file's name, not its path, so a clone anywhere replays the same transcript.
  const runner = new TranscriptRunner(adapter, basename(path), filterSteps);
  const out: string[] = [];
  for (const block of blocks) {
    out.push(...block.comments);
    if (block.command === '') continue;
    out.push(block.command, '----');
    const output = runner.run(block.command);
    out.push(...(output.length === 0 ? ['ok'] : output), '');
  }
  return { expected, actual: out.join('\n').replace(/\n*$/, '\n') };
}

class TranscriptRunner<State, M extends Message, Options, Timer extends string> {
  private cluster: ProtocolCluster<State, M, Options, Timer> | undefined;

  constructor(
    private readonly adapter: ProtocolAdapter<State, M, Options, Timer>,
    private readonly seed: string,
    private readonly filterSteps: boolean,
  ) {}

  run(command: string): string[] {
    try {
      return this.execute(command.trim().split(/\s+/));
    } catch (error) {
      return [`error: ${(error as Error).message}`];
    }
  }

  private get c(): ProtocolCluster<State, M, Options, Timer> {
    if (this.cluster === undefined) throw new Error('add-nodes first');
    return this.cluster;
  }

  private execute(words: string[]): string[] {
    const [name, ...args] = words;
    const numbers = args.map(Number);
    switch (name) {
      case 'add-nodes':
        this.cluster = new ProtocolCluster(this.adapter, numbers[0] as number, parseOptions(args.slice(1)), this.seed, true, this.filterSteps);
        return this.c.ids.map((id) => this.c.status(id));
      case 'fire':
        this.c.fire(numbers[0] as number, args[1] as string);
        return this.c.takeLines();
      case 'advance':
        this.c.advance((numbers[0] as number) * MICROS_PER_MS);
        return this.c.takeLines();
      case 'deliver':
        this.c.deliver(numbers[0], numbers[1]);
        return this.c.takeLines();
      case 'drop':
        this.c.drop(numbers[0], numbers[1]);
        return this.c.takeLines();
      case 'duplicate':
        this.c.duplicate(numbers[0], numbers[1]);
        return this.c.takeLines();
      case 'stabilize':
        this.c.stabilize();
        return this.c.takeLines();
      case 'partition':
        this.c.partition(parseGroups(args));
        return [];
      case 'isolate':
        this.c.isolate(numbers[0] as number);
        return [];
      case 'heal':
        this.c.heal();
        return [];
      case 'crash':
        this.c.crash(numbers[0] as number);
        return this.c.takeLines();
      case 'restart':
        this.c.restart(numbers[0] as number);
        return [...this.c.takeLines(), this.c.status(numbers[0] as number)];
      case 'corrupt':
        this.c.corrupt(numbers[0] as number, args[1] as string);
        return [];
      case 'skew':
        this.c.node(numbers[0] as number).clockOffset = (numbers[1] as number) * MICROS_PER_MS;
        return [];
      case 'drift':
        this.c.node(numbers[0] as number).clockRatePercent = numbers[1] as number;
        return [];
      case 'timers':
        return this.timers();
      case 'pending':
        return this.c.network.length === 0 ? ['(none)'] : this.c.network.map((flight) => `${flight.from}->${flight.to} ${this.c.protocol.renderMessage(flight.message)}`);
      case 'propose':
        return this.propose(args);
      case 'read':
        return this.read(args);
      case 'status':
        return args.length === 0 ? this.c.ids.map((id) => this.c.status(id)) : [this.c.status(numbers[0] as number)];
      case 'log':
        return this.adapter.log(this.state(numbers[0] as number));
      case 'kv':
        return this.adapter.kv(this.state(numbers[0] as number));
      case 'disk':
        return this.c.node(numbers[0] as number).disk.keys();
      default:
        throw new Error(`unknown command ${name}`);
    }
  }

  private propose(args: string[]): string[] {
    const [node, f, key, raw, ...rest] = args;
    const flags = parseFlags(rest);
    const requestId = this.c.request(Number(node), f as string, key as string, parseValue(raw as string), flags.client ?? 1, flags.sequence);
    return [`request #${requestId}`, ...this.c.takeLines()];
  }

  private read(args: string[]): string[] {
    const [node, key, ...rest] = args;
    const flags = parseFlags(rest);
    const requestId = this.c.request(Number(node), 'read', key as string, null, flags.client ?? 1, flags.sequence);
    return [`request #${requestId}`, ...this.c.takeLines()];
  }

  private timers(): string[] {
    const lines: string[] = [];
    for (const id of this.c.ids) {
      for (const [name, deadline] of [...this.c.node(id).timers].sort()) lines.push(`${id}: ${name} at ${formatMicros(deadline)}`);
    }
    return [`now ${formatMicros(this.c.now)}`, ...lines];
  }

  private state(id: number): State {
    const state = this.c.node(id).state;
    if (state === undefined) throw new Error(`node ${id} is down`);
    return state;
  }
}

function parseOptions(pairs: string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const pair of pairs) {
    const [key, raw] = pair.split('=');
    options[key as string] = parseValue(raw as string);
  }
  return options;
}

function parseFlags(pairs: string[]): { client?: number; sequence?: number } {
  const flags: { client?: number; sequence?: number } = {};
  for (const pair of pairs) {
    const [key, raw] = pair.split('=');
    if (key === 'client') flags.client = Number(raw);
    else if (key === 'sequence') flags.sequence = Number(raw);
    else throw new Error(`unknown flag ${key}`);
  }
  return flags;
}

/** JSON when it parses (numbers, booleans, ["a","b"]), a bare string otherwise. */
function parseValue(raw: string): Json {
  try {
    return JSON.parse(raw) as Json;
  } catch {
    return raw;
  }
}

function parseGroups(args: string[]): number[][] {
  const groups: number[][] = [[]];
  for (const word of args) {
    if (word === '/') groups.push([]);
    else (groups[groups.length - 1] as number[]).push(Number(word));
  }
  return groups;
}
