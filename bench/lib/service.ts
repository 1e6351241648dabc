import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'src', 'main.js');

/** Resident memory of a process in MB, from /proc (Linux); undefined once it has gone. */
function residentMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return kb ? Number(kb[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** A server the bench drives: by default the built service (`dist/`), started as production starts it. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private sampler: NodeJS.Timeout | undefined;
  private output = '';
  /** Highest resident memory seen since the last `resetPeakRss()`, in MB. */
  peakRssMb = 0;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    /** Another program to run instead (the bare server), with node's arguments before it. */
    private readonly program: string[] = [MAIN],
    /** The folder it runs in: another checkout's, for a build compared with this one. */
    private readonly cwd: string = ROOT,
  ) {}

  /** The service as built in another checkout (`--compare`), started as production starts it there. */
  static builtIn(root: string, port: number, env: Record<string, string>): ServiceProcess {
    return new ServiceProcess(port, env, [path.join(root, 'dist', 'src', 'main.js')], root);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!existsSync(this.program.at(-1)!))
      throw new Error(`${this.program.at(-1)} is missing: run npm run build first`);
    const child = spawn(process.execPath, this.program, {
      cwd: this.cwd,
      env: { ...process.env, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // Kept for the error message if the service dies; only the tail matters.
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    await this.waitHealthy(child);
    this.sampler = setInterval(() => {
      const rss = residentMb(child.pid!);
      if (rss !== undefined) this.peakRssMb = Math.max(this.peakRssMb, rss);
    }, 200);
  }

  resetPeakRss(): void {
    this.peakRssMb = residentMb(this.child!.pid!) ?? 0;
  }

  async stop(): Promise<void> {
    clearInterval(this.sampler);
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  private async waitHealthy(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`the service exited with ${child.exitCode}:\n${this.output}`);
      }
      try {
        if ((await fetch(`${this.url}/health`)).ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the service did not become healthy within 60 s:\n${this.output}`);
  }
}
