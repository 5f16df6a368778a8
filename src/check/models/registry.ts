import type { AnyModel } from '../model.js';
import { bankModel } from './bank.js';
import { casRegisterModel } from './cas-register.js';
import { counterModel } from './counter.js';
import { fifoQueueModel } from './fifo-queue.js';
import { kvModel } from './kv.js';
import { multiRegisterModel } from './multi-register.js';
import { mutexModel } from './mutex.js';
import { registerModel } from './register.js';
import { setModel } from './set.js';

/** Every built-in model, by the name used on the command line and in scenarios. */
export const models: readonly AnyModel[] = [registerModel, casRegisterModel, kvModel, counterModel, setModel, fifoQueueModel, mutexModel, multiRegisterModel, bankModel];

export const modelNames: readonly string[] = models.map((model) => model.name);

/** The model with this name, or undefined. */
export function modelByName(name: string): AnyModel | undefined {
  return models.find((model) => model.name === name);
}
