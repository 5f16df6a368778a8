import type { Json } from '../../history/operation.js';
import type { DurableReader, NodeContext } from '../../protocol/protocol.js';
import type { Entry } from './messages.js';

/** Disk layout: `view`, `last-normal-view`, and one key per log entry, `log/<position>`. */
export function entryKey(position: number): string {
  return `log/${String(position).padStart(9, '0')}`;
}

export interface DurableImage {
  view: number;
  lastNormalView: number;
  log: Entry[];
}

/** Reads the disk; `corrupt` when any record fails its checksum. */
export function readDisk(disk: DurableReader): DurableImage | 'corrupt' {
  const view = disk.read('view');
  const lastNormalView = disk.read('last-normal-view');
  if (view.kind === 'corrupt' || lastNormalView.kind === 'corrupt') return 'corrupt';
  const log: Entry[] = [];
  for (;;) {
    const record = disk.read(entryKey(log.length));
    if (record.kind === 'missing') break;
    if (record.kind === 'corrupt') return 'corrupt';
    log.push(record.value as unknown as Entry);
  }
  // A corrupt record past the end of the readable log counts too.
  for (const key of disk.keys()) if (disk.read(key).kind === 'corrupt') return 'corrupt';
  return {
    view: view.kind === 'value' ? (view.value as number) : 0,
    lastNormalView: lastNormalView.kind === 'value' ? (lastNormalView.value as number) : 0,
    log,
  };
}

/** Persists entries from `start` on, and deletes what lies past the new end. */
export function persistLog(context: NodeContext, log: Entry[], start: number, previousLength: number): void {
  for (let position = start; position < log.length; position++) context.persist(entryKey(position), log[position] as unknown as Json);
  for (let position = log.length; position < previousLength; position++) context.persist(entryKey(position), undefined);
}
