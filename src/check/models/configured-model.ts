import { InputError } from '../../util/errors.js';
import type { AnyModel } from '../model.js';
import { makeCasRegisterModel } from './cas-register.js';
import type { RegisterOptions } from './model-options.js';
import { makeMultiRegisterModel } from './multi-register.js';
import { makeRegisterModel } from './register.js';
import { modelByName } from './registry.js';

/** Models that take RegisterOptions, by name. */
const configurable: Record<string, (options: RegisterOptions) => AnyModel> = {
  register: makeRegisterModel,
  'cas-register': makeCasRegisterModel,
  'multi-register': makeMultiRegisterModel,
};

/**
 * The model with this name, built with the register options when any are given (`undefined`
 * for an unknown name). Options on a model that has no initial value to set are an error, not
 * silently ignored.
 */
export function configuredModel(name: string, options: RegisterOptions = {}): AnyModel | undefined {
  const given = options.initialValue !== undefined || options.nilReads !== undefined;
  if (!given) return modelByName(name);
  const make = configurable[name];
  if (make !== undefined) return make(options);
  if (modelByName(name) === undefined) return undefined;
  const flag = options.initialValue !== undefined ? '--initial-value' : '--nil-reads';
  throw new InputError(`${flag} applies to the ${Object.keys(configurable).join(', ')} models, not to ${name}`);
}
