/**
 * UTF-7 bodies and encoded words, rewritten as UTF-8 before the message reaches mailparser.
 *
 * mailparser (through libmime) deliberately refuses to decode UTF-7, because `+ADw-script+AD4-`
 * turns into `<script>` after a filter has looked for `<`. Hotmail and Exchange still send
 * `charset=unicode-1-1-utf-7`, so a helpdesk must read it. Casebook decodes it here and never shows
 * HTML that has not gone through sanitize-message-html.ts afterwards, which is what makes the
 * decoding safe. Messages without "utf-7" / "utf7" anywhere in them pass through untouched.
 */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Joiner, Rewriter, Splitter } from '@zone-eu/mailsplit';
import iconv from 'iconv-lite';

const UTF7_CHARSET = /^(?:(?:cs)?unicode-?1-?1-?)?utf-?7$/i;
const UTF7_WORD = /=\?(?:(?:cs)?unicode-?1-?1-?)?utf-?7(?:\*[^?]*)?\?([bq])\?([^?\s]*)\?=/gi;
const DECODED_HEADERS = ['subject', 'from', 'to', 'cc', 'reply-to', 'sender', 'thread-topic'];

/** True when the message may contain UTF-7: the cheap test that keeps the common path free. */
export function mayContainUtf7(raw: Uint8Array): boolean {
  return /utf-?7/i.test(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1'));
}

export function decodeUtf7(bytes: Uint8Array): string {
  return iconv.decode(Buffer.from(bytes), 'utf7');
}

/** Replaces every UTF-7 encoded word (RFC 2047) in a header value by its text. */
export function decodeUtf7Words(value: string): string {
  return value.replace(UTF7_WORD, (_word, encoding: string, text: string) => {
    const bytes =
      encoding.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
    return decodeUtf7(bytes);
  });
}

type SplitterNode = {
  type: 'node';
  contentType?: string | false;
  charset?: string | false;
  headers: { get(key: string): string[]; update(key: string, value: string): void };
  setCharset(charset: string): void;
};

/** Rewrites UTF-7 encoded words in the headers of every MIME node (root and parts). */
class HeaderWordRewriter extends Transform {
  constructor() {
    super({ objectMode: true });
  }
  override _transform(chunk: { type: string }, _encoding: BufferEncoding, done: TransformCallback): void {
    if (chunk.type === 'node') {
      const node = chunk as SplitterNode;
      for (const key of DECODED_HEADERS) {
        const lines = node.headers.get(key);
        if (lines.length !== 1 || !UTF7_WORD.test(lines[0]!)) continue;
        UTF7_WORD.lastIndex = 0;
        const value = lines[0]!.slice(lines[0]!.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
        node.headers.update(key, decodeUtf7Words(value));
      }
    }
    done(null, chunk);
  }
}

function isUtf7TextNode(node: SplitterNode): boolean {
  return typeof node.charset === 'string' && UTF7_CHARSET.test(node.charset) && String(node.contentType || 'text/plain').toLowerCase().startsWith('text/');
}

/** Returns the message with its UTF-7 parts and encoded words re-encoded as UTF-8. */
export async function transcodeUtf7(raw: Uint8Array): Promise<Buffer> {
  const input = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (!mayContainUtf7(input)) return input;
  const rewriter = new Rewriter((node: unknown) => isUtf7TextNode(node as SplitterNode));
  rewriter.on('node', (data) => {
    const chunks: Buffer[] = [];
    (data.node as unknown as SplitterNode).setCharset('utf-8');
    data.decoder.on('data', (chunk: Buffer) => chunks.push(chunk));
    data.decoder.on('end', () => data.encoder.end(Buffer.from(decodeUtf7(Buffer.concat(chunks)), 'utf8')));
  });
  const output: Buffer[] = [];
  const joiner = new Joiner();
  joiner.on('data', (chunk: Buffer) => output.push(chunk));
  await pipeline(Readable.from([input]), new Splitter(), new HeaderWordRewriter(), rewriter, joiner);
  return Buffer.concat(output);
}
