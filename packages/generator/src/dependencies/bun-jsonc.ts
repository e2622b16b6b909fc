/**
 * bun.lock is JSON as bun writes it: trailing commas after the last member of every object and
 * array (and bun's reader, a JSONC parser, would also take comments). JSON.parse accepts neither.
 *
 * Written by hand, deliberately: the repository's parsers do not cover it (`yaml` happens to accept
 * the syntax, since JSON with trailing commas is valid YAML flow style, but applies YAML's rules
 * to keys and is several times slower), and a JSONC library would be a new dependency for what is
 * one linear pass: drop comments and the commas that close a collection, leave strings alone,
 * and hand the rest to JSON.parse, which does all the validating.
 */
export function jsoncToJson(text: string): string {
  const out: string[] = [];
  let start = 0; // beginning of the run not yet copied to `out`
  let comma = false; // a comma was held back until the next significant character says if it closes a collection
  let opened = false; // the last significant character opened a collection: a comma there is no trailing comma
  const flushTo = (end: number) => {
    if (end > start) out.push(text.slice(start, end));
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    const next = text.charCodeAt(i + 1);
    if (c === 0x2f /* / */ && (next === 0x2f || next === 0x2a)) {
      flushTo(i);
      const end = next === 0x2f ? text.indexOf('\n', i + 2) : text.indexOf('*/', i + 2);
      // An unterminated comment runs to the end of the text.
      i = end < 0 ? text.length - 1 : next === 0x2f ? end - 1 : end + 1;
      out.push(' ');
      start = i + 1;
      continue;
    }
    if (comma && c !== 0x7d /* } */ && c !== 0x5d /* ] */) out.push(','); // not trailing: keep it (`,,` stays invalid)
    if (c === 0x2c /* , */ && !opened) {
      flushTo(i);
      start = i + 1;
      comma = true;
      continue;
    }
    comma = false;
    opened = c === 0x5b /* [ */ || c === 0x7b /* { */;
    if (c === 0x22 /* " */) {
      // Skip the string, escapes included; an unterminated one is left for JSON.parse to reject.
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* backslash */) i++;
        else if (s === 0x22) break;
      }
    }
  }
  flushTo(text.length);
  if (comma) out.push(',');
  return out.join('');
}
