import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { fail } from '../../util/assert.js';
import type { LockContext } from './declarations.js';
import type { LockMessage } from './messages.js';
import type { LockState, ResourceState } from './state.js';

type Access = Extract<LockMessage, { type: 'access' }>;

/** Everything the resource holds lives under one key, written before any answer leaves. */
const RESOURCE_KEY = 'resource';

type StoredResource = { data: [string, number][]; highest: [string, number][]; accepted: number; lastAccess: ResourceState['lastAccess'] };

export function recoverResource(disk: DurableReader): ResourceState {
  const record = disk.read(RESOURCE_KEY);
  if (record.kind === 'corrupt') fail('resource record is corrupt');
  if (record.kind === 'missing') return { data: new Map(), highest: new Map(), accepted: 0, lastAccess: null };
  const stored = record.value as unknown as StoredResource;
  return { data: new Map(stored.data), highest: new Map(stored.highest), accepted: stored.accepted, lastAccess: stored.lastAccess };
}

function persist(resource: ResourceState, context: LockContext): void {
  const stored: StoredResource = { data: [...resource.data], highest: [...resource.highest], accepted: resource.accepted, lastAccess: resource.lastAccess };
  context.persist(RESOURCE_KEY, stored as never);
}

/**
 * The fencing check (Kleppmann 2016: the storage "remembers that it has already processed a write
 * with a higher token number, and so it rejects the request"): an access inside a critical
 * section (a locked read or a write) with a token below the highest this key has seen is
 * refused. Reads count too: once the next holder has read, a stale holder's write would
 * overwrite what the next holder based its own write on.
 */
export function onAccess(state: LockState, from: NodeId, access: Access, context: LockContext): void {
  const resource = state.resource!;
  if (access.kind === 'read') {
    context.send(from, { type: 'access-result', id: access.id, ok: true, value: resource.data.get(access.key) ?? 0 });
    return;
  }
  const highest = resource.highest.get(access.key) ?? 0;
  if (access.token < highest) {
    if (!state.options.unsafeNoTokenCheck) {
      context.mark('stale-token-rejected');
      context.send(from, { type: 'access-result', id: access.id, ok: false, highest });
      return;
    }
    context.mark('stale-token-accepted');
  }
  if (access.token > highest) resource.highest.set(access.key, access.token);
  if (access.kind === 'write') {
    resource.data.set(access.key, access.value);
    context.mark('write-accepted');
  }
  resource.accepted++;
  resource.lastAccess = { key: access.key, kind: access.kind, token: access.token, from };
  persist(resource, context);
  context.send(from, { type: 'access-result', id: access.id, ok: true, value: resource.data.get(access.key) ?? 0 });
}
