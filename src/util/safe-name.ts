/**
 * A scenario name as one safe path component: anything but letters, digits, `.`, `_` and `-`
 * becomes `_`, and a name made only of dots (`.`, `..`) is prefixed, so a name such as
 * `../../etc` can never lead a write outside the output folder.
 */
export function safePathComponent(name: string): string {
  const cleaned = name.replace(/[^\w.-]+/g, '_').slice(0, 120);
  if (cleaned === '') return 'scenario';
  return /^\.+$/.test(cleaned) ? `_${cleaned}` : cleaned;
}
