import type { Json } from '../../src/history/operation.js';
import { EffectCollector } from '../../src/protocol/context.js';
import type { NodeId } from '../../src/protocol/effects.js';
import type { DurableReader, DurableRecord } from '../../src/protocol/protocol.js';
import { RandomStream } from '../../src/random/random-stream.js';
import { zabProtocol, type ZabMessage, type ZabOptions, type ZabState, type ZabTimer } from '../../src/protocols/zab/index.js';
import { renderZabMessage } from '../../src/protocols/zab/render.js';

/**
 * A small driver over EffectCollector for walking Zab by hand: every write is durable at once,
 * messages wait in one queue until delivered, timers fire only when told. It records each step's
 * effects as lines (`n0 -> n1 leaderinfo epoch 1`, `n1 persist accepted-epoch`) for assertions.
 */
export class ZabDriver {
  readonly states: (ZabState | undefined)[] = [];
  readonly disks: Map<string, Json>[] = [];
  queue: { from: NodeId; to: NodeId; message: ZabMessage }[] = [];
  readonly armed: Set<ZabTimer>[] = [];
  log: string[] = [];
  readonly marks: string[] = [];
  private readonly ids: NodeId[];

  constructor(
    count: number,
    private readonly options: ZabOptions,
  ) {
    this.ids = [...Array(count).keys()];
    for (const id of this.ids) {
      this.disks[id] = new Map();
      this.armed[id] = new Set();
      this.start(id);
    }
  }

  private context(id: NodeId): EffectCollector<ZabMessage> {
    return new EffectCollector<ZabMessage>(id, this.ids, new RandomStream(`driver/${id}`));
  }

  start(id: NodeId): void {
    const disk = this.disks[id]!;
    const reader: DurableReader = {
      read: (key): DurableRecord => (disk.has(key) ? { kind: 'value', value: disk.get(key) as Json } : { kind: 'missing' }),
      keys: () => [...disk.keys()].sort(),
    };
    this.armed[id]!.clear();
    this.run(id, (context) => {
      this.states[id] = zabProtocol.init(context, reader, this.options);
    });
  }

  crash(id: NodeId): void {
    this.states[id] = undefined;
    this.queue = this.queue.filter((item) => item.to !== id && item.from !== id);
  }

  state(id: NodeId): ZabState {
    const state = this.states[id];
    if (state === undefined) throw new Error(`n${id} is down`);
    return state;
  }

  private run(id: NodeId, handler: (context: EffectCollector<ZabMessage>) => void): void {
    const context = this.context(id);
    handler(context);
    for (const effect of context.drain()) {
      switch (effect.kind) {
        case 'send':
          this.queue.push({ from: id, to: effect.to, message: effect.message });
          this.log.push(`n${id} -> n${effect.to} ${renderZabMessage(effect.message)}`);
          break;
        case 'persist':
          if (effect.value === undefined) this.disks[id]!.delete(effect.key);
          else this.disks[id]!.set(effect.key, effect.value);
          if (effect.key !== 'batch-end') this.log.push(`n${id} persist ${effect.key}`);
          break;
        case 'setTimer':
          this.armed[id]!.add(effect.name as ZabTimer);
          break;
        case 'cancelTimer':
          this.armed[id]!.delete(effect.name as ZabTimer);
          break;
        case 'reply':
          this.log.push(`n${id} reply #${effect.requestId} ${JSON.stringify(effect.response)}`);
          break;
        default:
          effect satisfies never;
      }
    }
    this.marks.push(...context.marks);
  }

  fire(id: NodeId, timer: ZabTimer): void {
    this.armed[id]!.delete(timer);
    this.run(id, (context) => zabProtocol.onTimer(this.state(id), timer, context));
  }

  /** Delivers queued messages (and what they cause) until none is left, or only matching ones. */
  deliverAll(filter: (item: { from: NodeId; to: NodeId; message: ZabMessage }) => boolean = () => true, limit = 10_000): void {
    for (let i = 0; i < limit; i++) {
      const at = this.queue.findIndex(filter);
      if (at < 0) return;
      const [item] = this.queue.splice(at, 1);
      const { from, to, message } = item!;
      if (this.states[to] === undefined) continue;
      this.run(to, (context) => zabProtocol.onMessage(this.state(to), from, message, context));
    }
    throw new Error('deliverAll did not settle');
  }

  request(id: NodeId, requestId: number, clientId: number, sequence: number, f: string, key: string, value: Json): void {
    this.run(id, (context) => zabProtocol.onClientRequest(this.state(id), { requestId, clientId, sequence, operation: { f, key, value } }, context));
  }

  /** Elects: lets FLE settle, then fires every armed finalize timer, and settles again. */
  elect(): void {
    this.deliverAll();
    for (const id of this.ids) if (this.states[id] !== undefined && this.armed[id]!.has('finalize')) this.fire(id, 'finalize');
    this.deliverAll();
  }

  take(): string[] {
    const out = this.log;
    this.log = [];
    return out;
  }
}
