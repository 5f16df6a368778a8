import type { AnyProtocol } from './protocol.js';

/**
 * A protocol's declared names, as sets the host checks every effect against. A timer declared
 * with a trailing `*` (`lease/*`) stands for a family: every name with that prefix.
 */
export class DeclaredNames {
  readonly messageTypes: readonly string[];
  readonly timerNames: readonly string[];
  readonly markNames: readonly string[];
  private readonly messageSet: ReadonlySet<string>;
  private readonly timerSet: ReadonlySet<string>;
  private readonly timerFamilies: readonly string[];
  private readonly markSet: ReadonlySet<string>;

  constructor(protocol: AnyProtocol) {
    this.messageTypes = Object.keys(protocol.messages);
    this.timerNames = Object.keys(protocol.timers);
    this.markNames = Object.keys(protocol.marks ?? {});
    this.messageSet = new Set(this.messageTypes);
    this.timerSet = new Set(this.timerNames.filter((name) => !name.endsWith('*')));
    this.timerFamilies = this.timerNames.filter((name) => name.endsWith('*')).map((name) => name.slice(0, -1));
    this.markSet = new Set(this.markNames);
  }

  isMessageType(type: string): boolean {
    return this.messageSet.has(type);
  }

  isTimer(name: string): boolean {
    return this.timerSet.has(name) || this.timerFamilies.some((prefix) => name.startsWith(prefix));
  }

  isMark(name: string): boolean {
    return this.markSet.has(name);
  }
}

const cache = new WeakMap<AnyProtocol, DeclaredNames>();

export function declaredNames(protocol: AnyProtocol): DeclaredNames {
  let names = cache.get(protocol);
  if (names === undefined) {
    names = new DeclaredNames(protocol);
    cache.set(protocol, names);
  }
  return names;
}
