import { Extensions } from '../validation/extensions';
import { EventRecordResponseDto } from './dto/event-record-response.dto';
import { EventRecord } from '../journey/event-record.embeddable';
import { NameFilter } from './extension-selection';
import { TrackedObjectEntity } from '../journey/tracked-object.entity';

export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** Copies the entries whose value is present: absent optional fields are left out, never sent as null. */
export function present<T extends object>(fields: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(
    Object.entries(fields).filter(
      ([, value]) => value !== null && value !== undefined && value !== '',
    ),
  ) as { [K in keyof T]?: NonNullable<T[K]> };
}

function eventJson(at: number, record: EventRecord): EventRecordResponseDto {
  return {
    timestamp: isoTime(at),
    ...present({
      session_id: record.sessionId,
      interaction_id: record.interactionId,
      application_type: record.applicationType,
      application_id: record.applicationId,
      resource_type: record.resourceType,
      resource_id: record.resourceId,
      media_type: record.mediaType,
    }),
  };
}

/** The lifecycle part of a representation, in the order of docs/API.md §2.6. */
export function lifecycleJson(entity: TrackedObjectEntity) {
  const completedAt = entity.completedAt;
  return {
    ...present({
      est_duration: entity.estDuration,
      duration: completedAt === null ? null : completedAt - entity.startedAt,
      disposition: entity.disposition,
      disposition_desc: entity.dispositionDesc,
    }),
    started: eventJson(entity.startedAt, entity.started),
    ...(completedAt === null ? {} : { completed: eventJson(completedAt, entity.completed) }),
  };
}

/** The object's extensions that the filter selects. */
export function selectedExtensions(extensions: Extensions | null, filter: NameFilter): Extensions {
  if (!extensions || filter === 'none') return {};
  if (filter === 'all') return extensions;
  return Object.fromEntries(Object.entries(extensions).filter(([name]) => filter.has(name)));
}
