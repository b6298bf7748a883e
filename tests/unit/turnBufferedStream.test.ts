import { Writable } from 'node:stream';
import { TurnBufferedStream } from '../../logging/turnBufferedStream';

/** A target that records each write it gets. */
function recordingTarget() {
  const writes: string[] = [];
  const target = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString('utf8'));
      done();
    },
  });
  return { target, writes };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TurnBufferedStream (stdout for log lines)', () => {
  test('the lines of one turn reach the target in one write, in order, once the turn is over', async () => {
    const { target, writes } = recordingTarget();
    const stream = new TurnBufferedStream(target);
    stream.write('first\n');
    stream.write('second\n');
    stream.write('third\n');
    expect(writes).toEqual([]);
    await nextTurn();
    await nextTurn();
    expect(writes).toEqual(['first\nsecond\nthird\n']);
    stream.write('later\n');
    await nextTurn();
    await nextTurn();
    expect(writes).toEqual(['first\nsecond\nthird\n', 'later\n']);
    stream.end();
  });

  test('a burst is written as soon as 64 KB are held, not kept until the turn ends', () => {
    const { target, writes } = recordingTarget();
    const stream = new TurnBufferedStream(target);
    const line = `${'x'.repeat(1023)}\n`;
    for (let index = 0; index < 64; index += 1) stream.write(line);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toHaveLength(64 * 1024);
    stream.destroy();
  });

  test('what is held is written when the stream ends and when the process exits', async () => {
    const { target, writes } = recordingTarget();
    const ended = new TurnBufferedStream(target);
    ended.write('last words\n');
    await new Promise<void>((resolve) => ended.end(resolve));
    expect(writes).toEqual(['last words\n']);

    const listenersBefore = process.listeners('exit');
    const exiting = new TurnBufferedStream(target);
    const onExit = process.listeners('exit').find((listener) => !listenersBefore.includes(listener));
    exiting.write('before exit\n');
    // What process.exit() runs, synchronously: nothing later would get the chance.
    onExit?.(1);
    expect(writes).toEqual(['last words\n', 'before exit\n']);
    exiting.destroy();
    expect(process.listeners('exit')).toEqual(listenersBefore);
  });
});
