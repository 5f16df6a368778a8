import type { Json } from '../history/operation.js';

/**
 * A client operation as a protocol receives it. Every consensus protocol serves the same
 * key-value service, so one workload and one checker serve all of them:
 *   read   {key}                          -> ok with the value (null when absent)
 *   write  {key, value: string}           -> ok
 *   cas    {key, value: [expected, new]}  -> ok, or fail when the current value is not `expected`
 *   append {key, value: string}           -> ok; the value is concatenated to the current string
 * Other protocols (locks, queues) define their own `f` names and document them.
 */
export interface ClientOperation {
  f: string;
  key?: string;
  value: Json;
}

/**
 * A request as it reaches a node. `clientId` and `sequence` identify it across retries: a
 * protocol with client sessions applies each (clientId, sequence) at most once.
 */
export interface ClientRequest {
  requestId: number;
  clientId: number;
  sequence: number;
  operation: ClientOperation;
}

/**
 * What a node answers.
 * - `ok`: the operation took effect (with its output);
 * - `fail`: it definitely did not take effect (e.g. a cas whose comparison failed);
 * - `redirect`: this node cannot serve it (not the leader); it did not take effect;
 * - `unknown`: the node cannot say (e.g. it lost leadership with the entry uncommitted).
 */
export type ClientResponse =
  | { status: 'ok'; value: Json }
  | { status: 'fail'; error: string }
  | { status: 'redirect'; leaderHint: number | null }
  | { status: 'unknown'; error: string };
