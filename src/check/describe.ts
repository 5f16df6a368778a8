import type { AnyModel } from './model.js';
import type { Operation } from './operation.js';

/** "p3 write 4 (info)": the one-line rendering of an operation used in explanations. */
export function describeOperation(model: AnyModel, operation: Operation): string {
  // A failed operation kept by the model (a failed cas) already says so in its description.
  const outcome = operation.outcome === 'info' ? ' (info)' : '';
  const key = operation.key === '' ? '' : ` [key ${JSON.stringify(operation.key)}]`;
  return `#${operation.id} p${operation.process} ${model.describeOperation(operation.input, operation.output)}${outcome}${key}`;
}
