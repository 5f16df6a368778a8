import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/history/operation.js';
import { HostContext, type EffectSink } from '../../src/node/host-context.js';
import { MarkCounts } from '../../src/node/mark-counts.js';
import { EffectCollector } from '../../src/protocol/context.js';
import { declaredNames } from '../../src/protocol/declared-names.js';
import type { Message } from '../../src/protocol/effects.js';
import { deepFreezeFor, freezeHandedOver } from '../../src/protocol/hand-over.js';
import { findProtocol } from '../../src/protocols/registry.js';
import { RandomStream } from '../../src/random/random-stream.js';
import { recorderProtocol } from '../fixtures/protocols/recorder.js';

/** What a sink saw, as the world would hold it: the very objects handed over. */
function recordingContext(deepFreeze = true) {
  const sent: Message[] = [];
  const disk = new Map<string, Json | undefined>();
  const sink: EffectSink = {
    send: (_to, message) => void sent.push(message),
    armTimer: () => {},
    disarmTimer: () => {},
    persist: (key, value) => void disk.set(key, value),
    reply: () => {},
  };
  const context = new HostContext(0, [0, 1], new RandomStream('hand-over'), sink, { protocol: recorderProtocol.name, declared: declaredNames(recorderProtocol), marks: new MarkCounts(), deepFreeze });
  return { context, sent, disk };
}

type Entry = { term: number; command: { key: string; values: number[] } };

describe('what a protocol hands over stops being its own', () => {
  it('a sent message is frozen deeply: a later write throws, and the message in flight is unchanged', () => {
    const { context, sent } = recordingContext();
    const entries: Entry[] = [{ term: 1, command: { key: 'x', values: [1] } }];
    context.send(1, { type: 'Note', entries } as unknown as Message);
    expect(() => entries.push({ term: 2, command: { key: 'y', values: [] } })).toThrow(TypeError);
    expect(() => (entries[0]!.command.values as number[]).push(2)).toThrow(TypeError);
    expect(() => ((entries[0] as { term: number }).term = 5)).toThrow(TypeError);
    expect(sent).toEqual([{ type: 'Note', entries: [{ term: 1, command: { key: 'x', values: [1] } }] }]);
  });

  it('a persisted value is frozen deeply: the disk keeps what was persisted', () => {
    const { context, disk } = recordingContext();
    const outcomes: Json[] = [[1, 'commit']];
    context.persist('state', { outcomes });
    expect(() => outcomes.push([2, 'abort'])).toThrow(TypeError);
    expect(() => ((outcomes[0] as Json[])[1] = 'abort')).toThrow(TypeError);
    expect(disk.get('state')).toEqual({ outcomes: [[1, 'commit']] });
    context.persist('gone', undefined);
    expect(disk.get('gone')).toBeUndefined();
  });

  it('both copies of a duplicate carry the same content: the receiver cannot change the message either', () => {
    const { context, sent } = recordingContext();
    context.send(1, { type: 'Note', log: [1, 2] } as unknown as Message);
    const [copy] = sent;
    // The network delivers the same object twice; a receiver that appends to it fails at once.
    const receive = (message: Message) => (message as unknown as { log: number[] }).log.push(3);
    expect(() => receive(copy!)).toThrow(TypeError);
    expect(() => receive(copy!)).toThrow(TypeError);
    expect(copy).toEqual({ type: 'Note', log: [1, 2] });
  });

  it('the buffered collector (transcript drivers) freezes the same way', () => {
    const collector = new EffectCollector(0, [0, 1], new RandomStream('hand-over'));
    const log = [{ term: 1 }];
    collector.send(1, { type: 'Note', log } as unknown as Message);
    collector.persist('log', log as unknown as Json);
    expect(() => log.push({ term: 2 })).toThrow(TypeError);
    expect(collector.drain().map((effect) => effect.kind)).toEqual(['send', 'persist']);
  });

  it('without the deep freeze (built-in protocols outside the tests) values are handed over as they are', () => {
    const { context, sent } = recordingContext(false);
    const message = { type: 'Note', log: [1] } as unknown as Message;
    context.send(1, message);
    expect(sent[0]).toBe(message);
    expect(Object.isFrozen(message)).toBe(false);
  });

  it('built-in protocols get the deep freeze in the test suite; imported ones everywhere', () => {
    const raft = findProtocol('raft')!;
    expect(deepFreezeFor(raft, true)).toBe(true);
    expect(deepFreezeFor(raft, false)).toBe(false);
    expect(deepFreezeFor(recorderProtocol, false)).toBe(true);
    expect(process.env.VITEST).toBeDefined(); // so every world in this suite freezes deeply
  });

  it('a subtree already frozen is left as it is (resending an entry walks nothing)', () => {
    const entry = Object.freeze({ term: 1, command: { key: 'x' } });
    const message = freezeHandedOver({ type: 'append', entries: [entry] });
    expect(Object.isFrozen(message.entries)).toBe(true);
    expect(Object.isFrozen(entry.command)).toBe(false); // frozen shallowly by its owner: not walked
    expect(freezeHandedOver(7)).toBe(7);
    expect(freezeHandedOver(null)).toBe(null);
  });
});
