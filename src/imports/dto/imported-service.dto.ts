import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsEmpty, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { ExtensibleDto } from '../../validation/extensions';
import {
  CodeField,
  CountField,
  NestedField,
  TextField,
  TimestampField,
  TypeField,
} from '../../validation/field.decorators';

/**
 * A start or completion record as an export holds it (docs/API.md §2.6). Imported values are history: they
 * are kept as they were, so business attributes (which may have changed since) are not checked.
 */
export class ImportedEventDto {
  @TimestampField({ required: true, description: 'When the event happened (UTC)' })
  timestamp: string;

  @CodeField(32) session_id?: string;
  @CodeField(50) interaction_id?: string;
  @TypeField() application_type?: string;
  @CountField({ max: Number.MAX_SAFE_INTEGER }) application_id?: number;
  @TypeField() resource_type?: string;
  @CountField({ max: Number.MAX_SAFE_INTEGER }) resource_id?: number;
  @TypeField() media_type?: string;
}

/** What an exported service, state and task have in common; any other key is an extension, kept as is. */
export class ImportedObjectDto extends ExtensibleDto {
  @CountField({ description: 'Expected duration, seconds' }) est_duration?: number;

  @CountField({
    max: Number.MAX_SAFE_INTEGER,
    description: 'Ignored: recomputed from the start and completion timestamps',
  })
  duration?: number;

  @TypeField() disposition?: string;
  @TextField(64, { freeText: true }) disposition_desc?: string;

  @NestedField(() => ImportedEventDto, { required: true })
  started: ImportedEventDto;

  @NestedField(() => ImportedEventDto, { description: 'Present when it was completed' })
  completed?: ImportedEventDto;
}

/** A possibly empty array of objects, each validated as `type()`. */
function ChildrenField(type: () => new () => object): PropertyDecorator {
  return (target: object, name: string | symbol) => {
    IsOptional()(target, name);
    IsArray({ message: 'must be a JSON array' })(target, name);
    IsObject({ each: true, message: 'must contain only JSON objects' })(target, name);
    ValidateNested({ each: true })(target, name);
    Type(type)(target, name);
    ApiPropertyOptional({ type: [type()] })(target, name);
  };
}

/** Refuses what an export of part of a service would carry: such a service cannot be imported whole. */
function Incomplete(what: string): PropertyDecorator {
  return (target: object, name: string | symbol) => {
    IsEmpty({
      message: `says the source left ${what} out (a nested read past its limit): import whole services, as the stream with export_content=true writes them`,
    })(target, name);
  };
}

export class ImportedTaskDto extends ImportedObjectDto {
  @CodeField(64, { required: true, description: "The task's id in the source", example: 555666 })
  task_id: string;

  @TypeField({ required: true, example: 'MyTask1' }) task_type: string;

  @CodeField(64, {
    description: 'Its state, by its id in the source (one of the service’s states)',
  })
  state_id?: string;

  @CodeField(64, { description: 'Its service, by its id in the source (the three-file form)' })
  service_id?: string;
}

export class ImportedStateDto extends ImportedObjectDto {
  @CodeField(64, { required: true, description: "The state's id in the source", example: 333444 })
  state_id: string;

  @TypeField({ required: true, example: 'MyState1' }) state_type: string;

  @CodeField(64, { description: 'The state before it, by its id in the source' })
  previous_state_id?: string;

  @CodeField(64, { description: 'Its service, by its id in the source (the three-file form)' })
  service_id?: string;
}

/**
 * One service as `GET /maintenance/services/stream?export_content=true` answers it (ours or Genesys's),
 * with all its states and tasks (docs/API.md §6.5, import).
 */
export class ImportedServiceDto extends ImportedObjectDto {
  @CodeField(64, {
    required: true,
    description: "The service's id in the source; with the import's source name, its source key",
    example: 111222,
  })
  service_id: string;

  @TypeField({ example: 'MyService1' }) service_type?: string;
  @CodeField(64, { example: 'cust-00042' }) customer_id?: string;
  @CodeField(128, { example: '+33123456789' }) contact_key?: string;
  @TimestampField() expiration_time?: string;

  @ChildrenField(() => ImportedStateDto) active_states?: ImportedStateDto[];
  @ChildrenField(() => ImportedStateDto) completed_states?: ImportedStateDto[];
  @ChildrenField(() => ImportedTaskDto) active_tasks?: ImportedTaskDto[];
  @ChildrenField(() => ImportedTaskDto) completed_tasks?: ImportedTaskDto[];

  @Incomplete('states') more_states?: number;
  @Incomplete('tasks') more_tasks?: number;
}

/** Where each imported service went. */
export class ImportedMappingDto {
  @ApiProperty({ example: '111222' }) source_service_id: string;
  @ApiProperty({ example: 4242 }) service_id: number;
}

/** A line (or array element) that was not imported, and why. */
export class ImportRefusalDto {
  @ApiProperty({
    example: 17,
    description: 'Its line (JSON Lines) or element (JSON array), from 1',
  })
  line: number;

  @ApiPropertyOptional({ example: '111222' }) source_service_id?: string;

  @ApiProperty({ example: 'an active service with the same key exists (service 4242)' })
  reason: string;
}

/** The answer of an import (and the CLI's report). */
export class ImportResultDto {
  @ApiProperty({ example: 998, description: 'Services stored by this import' })
  imported: number;

  @ApiProperty({
    example: 1,
    description: 'Services a previous import had stored (found by source key)',
  })
  already_imported: number;

  @ApiProperty({ example: 1, description: 'Lines not imported; `refused` says why' })
  refused_count: number;

  @ApiProperty({
    type: [ImportedMappingDto],
    description: 'Source id → id here, for every service imported now or before',
  })
  services: ImportedMappingDto[];

  @ApiProperty({ type: [ImportRefusalDto] })
  refused: ImportRefusalDto[];
}
