import { Writable } from 'node:stream';

/** The log lines written since the test started, parsed. */
export class LogCapture extends Writable {
  lines: Record<string, unknown>[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  }

  of(requestId: string) {
    return this.lines.filter((line) => line.reqId === requestId);
  }
}
