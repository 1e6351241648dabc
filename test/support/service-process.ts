import { ChildProcess, spawn } from 'node:child_process';

/** The built service, as production starts it. */
export const MAIN = 'dist/src/main.js';

/** The built service as a child process, with its JSON log lines as they come. */
export class ServiceProcess {
  readonly lines: Record<string, unknown>[] = [];
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  private readonly child: ChildProcess;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let pending = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      const text = pending + chunk.toString('utf8');
      const complete = text.split('\n');
      pending = complete.pop()!;
      for (const line of complete.filter(Boolean)) {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  async logged(message: RegExp, withinMs = 20_000): Promise<void> {
    const deadline = Date.now() + withinMs;
    while (!this.lines.some((line) => message.test(String(line.msg)))) {
      if (Date.now() > deadline) throw new Error(`the service never logged ${message}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  terminate(): void {
    this.child.kill('SIGTERM');
  }

  /** SIGHUP: reread the TLS files. */
  hangUp(): void {
    this.child.kill('SIGHUP');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}
