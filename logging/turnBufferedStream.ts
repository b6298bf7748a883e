import { Writable } from 'node:stream';

/** Lines held before a write regardless of the turn ending: a burst never holds much in memory. */
const MAX_HELD_BYTES = 64 * 1024;

/**
 * Log lines written to `target` (stdout) once per turn of the event loop instead of once each.
 * Writing to a pipe or a file is a synchronous system call per write on Linux, and at info the
 * app writes a line per Slack request: in a burst that call cost as much as answering the
 * request. Lines keep their order, are held at most until the current turn's I/O callbacks have
 * run (setImmediate) or 64 KB have gathered, and whatever is held is written when the process
 * exits, so an uncaught exception's last line is not lost.
 */
export class TurnBufferedStream extends Writable {
  private held: string[] = [];
  private heldBytes = 0;
  private scheduled = false;
  private readonly flushOnExit = () => this.flush();

  constructor(private readonly target: NodeJS.WritableStream) {
    super({ decodeStrings: false });
    process.on('exit', this.flushOnExit);
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    this.held.push(text);
    this.heldBytes += text.length;
    if (this.heldBytes >= MAX_HELD_BYTES) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    this.flush();
    process.off('exit', this.flushOnExit);
    done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.flush();
    process.off('exit', this.flushOnExit);
    done(error);
  }

  /** Writes what is held now, in one write. */
  flush(): void {
    this.scheduled = false;
    if (this.held.length === 0) return;
    const text = this.held.length === 1 ? this.held[0] : this.held.join('');
    this.held = [];
    this.heldBytes = 0;
    this.target.write(text);
  }
}
