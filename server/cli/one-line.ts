// A message as it reaches the terminal: one line, its controls shown as escapes (an argument
// may carry a newline or an escape sequence), at most 500 characters (an argument may be huge).
export function oneLine(message: string): string {
  const escaped = message.replace(/\n$/, '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > 500 ? `${escaped.slice(0, 500)}…` : escaped;
}
