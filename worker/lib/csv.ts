/**
 * A small RFC 4180 CSV parser, no dependencies.
 *
 * - Fields are separated by `,`; records end at CRLF, LF or a lone CR.
 * - A field that starts with `"` is quoted: it may contain separators, line breaks and `""`
 *   (one literal quote), and it ends at the next single `"`.
 * - A leading byte order mark is dropped. A line break at the very end of the text does not
 *   start another record, so `"a\n"` is one record; an empty text has no records.
 * - A blank line inside the text is a record with one empty field, as RFC 4180 reads it.
 *
 * Malformed input is rejected rather than guessed at, because the parser also reads bulk
 * imports: an unterminated quoted field, text after a closing quote and a quote inside an
 * unquoted field all throw an Error naming the line (1-based) where the problem is.
 */
export function parseCsv(text: string): string[][] {
  return new CsvReader(text.charCodeAt(0) === BOM ? text.slice(1) : text).readAll();
}

const BOM = 0xfeff;
const QUOTE = 0x22; // "
const COMMA = 0x2c; // ,
const LF = 0x0a;
const CR = 0x0d;

class CsvReader {
  private pos = 0;
  private line = 1;

  constructor(private readonly text: string) {}

  readAll(): string[][] {
    const records: string[][] = [];
    const end = this.text.length;
    while (this.pos < end) records.push(this.readRecord());
    return records;
  }

  /** Reads fields up to and including the record's line break (or the end of the text). */
  private readRecord(): string[] {
    const fields: string[] = [];
    for (;;) {
      fields.push(this.text.charCodeAt(this.pos) === QUOTE ? this.readQuoted() : this.readUnquoted());
      const c = this.text.charCodeAt(this.pos);
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      // Only a line break or the end of the text can follow a field here.
      this.skipLineBreak();
      return fields;
    }
  }

  private readUnquoted(): string {
    const { text } = this;
    const start = this.pos;
    let i = start;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === COMMA || c === LF || c === CR) break;
      if (c === QUOTE) throw new Error(`CSV line ${this.line}: quote inside an unquoted field`);
    }
    this.pos = i;
    return text.slice(start, i);
  }

  private readQuoted(): string {
    const { text } = this;
    const startLine = this.line;
    const parts: string[] = [];
    let from = this.pos + 1; // past the opening quote
    for (;;) {
      const q = text.indexOf('"', from);
      if (q === -1) throw new Error(`CSV line ${startLine}: unterminated quoted field`);
      parts.push(text.slice(from, q));
      this.countLineBreaks(from, q);
      if (text.charCodeAt(q + 1) === QUOTE) {
        parts.push('"');
        from = q + 2;
        continue;
      }
      this.pos = q + 1;
      const next = text.charCodeAt(this.pos);
      if (this.pos < text.length && next !== COMMA && next !== LF && next !== CR) {
        throw new Error(`CSV line ${this.line}: unexpected text after a closing quote`);
      }
      return parts.length === 1 ? (parts[0] as string) : parts.join("");
    }
  }

  private skipLineBreak(): void {
    const c = this.text.charCodeAt(this.pos);
    if (c === CR) this.pos += this.text.charCodeAt(this.pos + 1) === LF ? 2 : 1;
    else if (c === LF) this.pos += 1;
    else return; // end of text
    this.line++;
  }

  /** Keeps line numbers right across line breaks inside quoted fields (CRLF counts once). */
  private countLineBreaks(from: number, to: number): void {
    const { text } = this;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) this.line++;
    }
  }
}
