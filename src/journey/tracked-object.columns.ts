import { TenantContext } from '../tenancy/tenant-context';
import { parseIsoTimestamp } from '../validation/iso-timestamp';
import { extensionsOf } from '../validation/extensions';
import { EndEventDto } from './dto/end-event.dto';
import { EventFieldsDto } from './dto/event-fields.dto';
import { EventRecord } from './event-record.embeddable';
import { TrackedObjectEntity } from './tracked-object.entity';

export type StartColumns = Pick<
  TrackedObjectEntity,
  'tenantId' | 'groupId' | 'startedAt' | 'started' | 'estDuration' | 'extensions'
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
  event: EventFieldsDto & { est_duration?: number },
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
    extensions: Object.keys(extensions).length > 0 ? extensions : null,
  };
}

export type CompletionColumns = Pick<
  TrackedObjectEntity,
  'completedAt' | 'completed' | 'disposition' | 'dispositionDesc' | 'activeMarker'
>;

/** The columns an end event sets on the object it completes (its extensions are handled apart). */
export function completionColumns(event: EndEventDto, now: number): CompletionColumns {
  return {
    completedAt: eventTime(event, now),
    completed: eventRecord(event),
    disposition: event.disposition ?? null,
    dispositionDesc: event.disposition_desc ?? null,
    activeMarker: null,
  };
}

/** What a completion sets on the active states and tasks it cascades to: the same moment and event. */
export function cascadedCompletion(columns: CompletionColumns): CompletionColumns {
  return { ...columns, disposition: null, dispositionDesc: null };
}
