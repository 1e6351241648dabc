import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import type { TenantContext } from '../tenancy/tenant-context';
import { csvObjects, joinedFiles, jsonArray, jsonLines, type SourceItem } from './import-sources';
import { ImportsModule } from './imports.module';
import { ImportsService } from './imports.service';

const USAGE =
  'usage: npm run import -- <files…> --tenant <name> [--group <GroupId>] [--source <name>]\n' +
  '  files: the three files of POST /maintenance/services/files (…_services, …_states, …_tasks; .json\n' +
  '         JSON Lines or .csv), or one file of whole services (a JSON array, or JSON Lines: .jsonl, .ndjson)';

/** The application context of an import: configuration, the database (migrated) and the import. */
@Module({ imports: [ConfigModule, DatabaseModule, ImportsModule] })
class ImportCliModule {}

interface Arguments {
  files: string[];
  tenant: TenantContext;
  source: string;
}

function parseArguments(argv: string[]): Arguments {
  const files: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--')) {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      options[arg.slice(2)] = value;
    } else {
      files.push(arg);
    }
  }
  const unknown = Object.keys(options).filter(
    (name) => !['tenant', 'group', 'source'].includes(name),
  );
  if (unknown.length > 0) throw new Error(`unknown option --${unknown[0]}\n${USAGE}`);
  if (!options.tenant) throw new Error(`--tenant is required\n${USAGE}`);
  if (files.length !== 1 && files.length !== 3) throw new Error(`give one file or three\n${USAGE}`);
  return {
    files,
    tenant: { tenantId: options.tenant, groupId: options.group },
    source: options.source ?? 'default',
  };
}

/** The items of one file, read as its name says: CSV, a JSON array, or JSON Lines. */
function itemsOf(file: string, lines: boolean): AsyncIterable<SourceItem> {
  const stream = createReadStream(file);
  if (file.endsWith('.csv')) return csvObjects(stream);
  return lines ? jsonLines(stream) : jsonArray(stream);
}

/** The services of the files given: three export files joined by service, or one file of whole services. */
export function sourceOf(files: string[]): AsyncIterable<SourceItem> {
  const kind = (name: string) => /_(services|states|tasks)\.(json|jsonl|csv)$/.exec(name)?.[1];
  if (files.length === 1) {
    const [file] = files;
    if (kind(file))
      throw new Error(`${file} is one of three export files: give all three\n${USAGE}`);
    return itemsOf(file, /\.(jsonl|ndjson)$/.test(file));
  }
  const byKind: Record<string, string> = {};
  for (const file of files) byKind[kind(file) ?? file] = file;
  for (const needed of ['services', 'states', 'tasks']) {
    if (!byKind[needed]) {
      throw new Error(`no …_${needed}.json or …_${needed}.csv among the files\n${USAGE}`);
    }
  }
  const part = (name: 'services' | 'states' | 'tasks') => ({
    name: basename(byKind[name]),
    items: itemsOf(byKind[name], true),
  });
  return joinedFiles({ services: part('services'), states: part('states'), tasks: part('tasks') });
}

/**
 * `npm run import`: imports export files into a tenant, with the rules of the endpoint (docs/API.md
 * §6.5) and no size limit. Each stored service is written to stdout as a JSON line `{ source_service_id,
 * service_id }` as soon as its batch is committed; each refused line to stderr with its file, line and
 * reason; a summary last. A run cut short (kill -9 included) leaves only whole services: run it again and
 * it goes on where it stopped, finding the services already stored. Exit status: 0 when every service is
 * in, 2 when some were refused, 1 when the import could not run.
 */
async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  const source = sourceOf(args.files);
  const app = await NestFactory.createApplicationContext(ImportCliModule, {
    logger: ['error', 'warn'],
  });
  try {
    const result = await app.get(ImportsService).import(args.tenant, source, {
      source: args.source,
      collectMappings: false,
      onStored: (mapping) => process.stdout.write(`${JSON.stringify(mapping)}\n`),
      onRefused: (refusal) => process.stderr.write(`refused ${JSON.stringify(refusal)}\n`),
    });
    process.stderr.write(
      `imported ${result.imported}, already imported ${result.already_imported}, refused ${result.refused_count}\n`,
    );
    return result.refused_count > 0 ? 2 : 0;
  } finally {
    await app.close();
  }
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
