/** Command-line options of the bench scripts: `--name value`, `--name=value` or a bare `--flag`. */
export function parseArgs(argv: string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    if (inline !== undefined) options.set(name, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--'))
      options.set(name, argv[++i]);
    else options.set(name, 'true');
  }
  return options;
}

export function intOption(options: Map<string, string>, name: string, fallback: number): number {
  const raw = options.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`--${name} must be a positive integer (got ${raw})`);
  }
  return value;
}

/** Refuses option names the script does not know, so a typo never silently runs the default. */
export function rejectUnknown(options: Map<string, string>, known: string[]): void {
  const unknown = [...options.keys()].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown option ${unknown.map((n) => `--${n}`).join(', ')}`);
  }
}

export const DEFAULT_DATABASE_URL = 'mariadb://root@127.0.0.1:3306/cs_bench';
