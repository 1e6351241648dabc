import { TenantContext } from '../tenancy/tenant-context';
import { parseIsoTimestamp } from '../validation/iso-timestamp';
import { extensionsOf } from '../validation/extensions';
import { EndEventDto, JourneyEventDto } from './dto/journey-event.dto';
import { EventFieldsDto } from './dto/event-fields.dto';
import { EventRecord } from './event-record.embeddable';
import { TrackedObjectEntity } from './tracked-object.entity';

export type StartColumns = Pick<
  TrackedObjectEntity,
  | 'tenantId'
  | 'groupId'
  | 'startedAt'
  | 'started'
  | 'estDuration'
  | 'disposition'
  | 'dispositionDesc'
  | 'extensions'
>;

/** The moment an event happened: its own timestamp, else the time the request arrived. */
export function eventTime(event: EventFieldsDto, now: number): number {
  return event.timestamp === undefined ? now : (parseIsoTimestamp(event.timestamp) ?? now);
}

export function eventRecord(event: EventFieldsDto): EventRecord {
  return {
    sessionId: event.session_id ?? null,
    interactionId: event.interaction_id ?? null,
    applicationType: event.application_type ?? null,
    applicationId: event.application_id ?? null,
    resourceType: event.resource_type ?? null,
    resourceId: event.resource_id ?? null,
    mediaType: event.media_type ?? null,
  };
}

/** The columns a start event sets on any service, state or task it creates. */
export function startColumns(
  event: JourneyEventDto & { est_duration?: number },
  tenant: TenantContext,
  now: number,
): StartColumns {
  const extensions = extensionsOf(event);
  return {
    tenantId: tenant.tenantId,
    groupId: tenant.groupId ?? null,
    startedAt: eventTime(event, now),
    started: eventRecord(event),
    estDuration: event.est_duration ?? null,
    disposition: event.disposition ?? null,
    dispositionDesc: event.disposition_desc ?? null,
    extensions: Object.keys(extensions).length > 0 ? extensions : null,
  };
}

/**
 * The start columns that the fields given in `event` set, and only those (an association updates what its
 * body names and keeps the rest).
 */
export function givenStartColumns(
  event: JourneyEventDto & { est_duration?: number },
): Partial<TrackedObjectEntity> {
  const record = Object.fromEntries(
    Object.entries(eventRecord(event)).filter(([, value]) => value !== null),
  ) as Partial<EventRecord>;
  return {
    ...(event.timestamp !== undefined && { startedAt: parseIsoTimestamp(event.timestamp) }),
    ...(Object.keys(record).length > 0 && { started: record as EventRecord }),
    ...(event.est_duration !== undefined && { estDuration: event.est_duration }),
    ...(event.disposition !== undefined && { disposition: event.disposition }),
    ...(event.disposition_desc !== undefined && { dispositionDesc: event.disposition_desc }),
  };
}

export type CompletionColumns = Pick<
  TrackedObjectEntity,
  'completedAt' | 'completed' | 'activeMarker'
> &
  Partial<Pick<TrackedObjectEntity, 'disposition' | 'dispositionDesc'>>;

/**
 * The columns an end event sets on the object it completes (its extensions are handled apart). A
 * disposition given at the end replaces the one of the start, as a pair; without one, the start's stays.
 */
export function completionColumns(event: EndEventDto, now: number): CompletionColumns {
  const columns = {
    completedAt: eventTime(event, now),
    completed: eventRecord(event),
    activeMarker: null,
  };
  if (event.disposition === undefined && event.disposition_desc === undefined) return columns;
  return {
    ...columns,
    disposition: event.disposition ?? null,
    dispositionDesc: event.disposition_desc ?? null,
  };
}

/**
 * What a completion sets on the active states and tasks it cascades to: the same moment and event; their
 * own dispositions stay.
 */
export function cascadedCompletion({
  completedAt,
  completed,
  activeMarker,
}: CompletionColumns): CompletionColumns {
  return { completedAt, completed, activeMarker };
}
