import { type AbiFunction, type AbiParameter, type Hex, parseAbiItem, toFunctionSelector } from 'viem';
import { SessionPolicyError } from './errors.ts';

const ARRAY_TYPE = /^(.*)\[(\d*)\]$/;

type WithComponents = AbiParameter & { components?: readonly AbiParameter[] };

/**
 * Whether an ABI parameter is dynamic in the ABI encoding (its head is a 32-byte offset): `string`,
 * `bytes`, `T[]`, `T[k]` of a dynamic `T`, and tuples with a dynamic component.
 *
 * @example
 * ```ts
 * isDynamicParameter({ type: 'string' }); // true
 * isDynamicParameter({ type: 'uint256[2]' }); // false
 * ```
 */
export function isDynamicParameter(param: AbiParameter): boolean {
  const { type } = param;
  if (type === 'string' || type === 'bytes') return true;
  const array = ARRAY_TYPE.exec(type);
  if (array) {
    const [, inner = '', length = ''] = array;
    if (length === '') return true;
    return isDynamicParameter({ ...param, type: inner } as AbiParameter);
  }
  if (type === 'tuple') {
    return ((param as WithComponents).components ?? []).some(isDynamicParameter);
  }
  return false;
}

/**
 * Number of 32-byte words a parameter takes in the head of the ABI encoding (1 for a dynamic one).
 *
 * @example
 * ```ts
 * headWords({ type: 'uint256[3]' }); // 3
 * ```
 */
export function headWords(param: AbiParameter): number {
  if (isDynamicParameter(param)) return 1;
  const array = ARRAY_TYPE.exec(param.type);
  if (array) {
    const [, inner = '', length = '0'] = array;
    return Number(length) * headWords({ ...param, type: inner } as AbiParameter);
  }
  if (param.type === 'tuple') {
    return ((param as WithComponents).components ?? []).reduce((sum, c) => sum + headWords(c), 0);
  }
  return 1;
}

/**
 * Word index (after the selector) at which argument `argumentIndex` of `fn` starts. Dynamic arguments
 * before it count one word (their offset), so constraints after a `string` are well-defined.
 *
 * @example
 * ```ts
 * argumentWordIndex(parseFunction('function f((uint256,uint256) p, address to)'), 1); // 2
 * ```
 */
export function argumentWordIndex(fn: AbiFunction, argumentIndex: number): number {
  return fn.inputs.slice(0, argumentIndex).reduce((sum, input) => sum + headWords(input), 0);
}

/**
 * Parses a human-readable function signature (`'function transfer(address to, uint256 amount)'`; the
 * `function ` keyword may be left out) or checks an `AbiFunction` object.
 *
 * @throws SessionPolicyError `FUNCTION_SIGNATURE_INVALID`.
 * @example
 * ```ts
 * parseFunction('transfer(address,uint256)').inputs.length; // 2
 * ```
 */
export function parseFunction(fn: AbiFunction | string, path = 'function'): AbiFunction {
  let parsed: unknown;
  try {
    if (typeof fn === 'string') {
      const signature = fn.trim().startsWith('function ') ? fn.trim() : `function ${fn.trim()}`;
      parsed = parseAbiItem(signature);
    } else {
      parsed = fn;
    }
  } catch (cause) {
    throw new SessionPolicyError(
      'FUNCTION_SIGNATURE_INVALID',
      `${path} is not a valid function signature`,
      { path },
      cause,
    );
  }
  const item = parsed as Partial<AbiFunction> | null;
  const wellFormed = (param: unknown): boolean => {
    if (typeof param !== 'object' || param === null) return false;
    const { type, components } = param as { type?: unknown; components?: unknown };
    if (typeof type !== 'string') return false;
    return components === undefined || (Array.isArray(components) && components.every(wellFormed));
  };
  if (
    item?.type !== 'function' ||
    typeof item.name !== 'string' ||
    !Array.isArray(item.inputs) ||
    !item.inputs.every(wellFormed)
  ) {
    throw new SessionPolicyError('FUNCTION_SIGNATURE_INVALID', `${path} is not an ABI function`, { path });
  }
  return item as AbiFunction;
}

/**
 * The 4-byte selector of a function, lowercase.
 *
 * @throws SessionPolicyError `FUNCTION_SIGNATURE_INVALID` when an input type is not an ABI type.
 * @example
 * ```ts
 * functionSelector(parseFunction('transfer(address,uint256)')); // '0xa9059cbb'
 * ```
 */
export function functionSelector(fn: AbiFunction, path = 'function'): Hex {
  try {
    return toFunctionSelector(fn).toLowerCase() as Hex;
  } catch (cause) {
    throw new SessionPolicyError(
      'FUNCTION_SIGNATURE_INVALID',
      `${path} has an invalid type`,
      { path },
      cause,
    );
  }
}
