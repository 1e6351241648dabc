import { EntityManager } from 'typeorm';
import { RetryableTransactionError } from '../database/database-errors';
import { ApiException } from '../errors/api-exceptions';
import { FoundOrCreated } from '../journey/found-or-created';
import { JourneyScope, requireNotBefore } from '../journey/journey-scope';
import { eventTime } from '../journey/tracked-object.columns';
import { CompositeEventDto } from './dto/composite-start-request.dto';

/**
 * What must hold before composite start inserts a state or task into the event's service: the hook each
 * `findOrStart` runs just before its INSERT (and only then, so a step that finds everything costs nothing).
 *
 * - A found service's row is locked first, recording the activity. The insert's foreign-key check takes a
 *   shared lock on that row; two requests each holding one and then wanting to update the service would
 *   deadlock, whereas this way they queue. The lock also keeps a concurrent completion of the service from
 *   slipping in; if one already did, the whole request runs again.
 * - A state or task may not start before its service (time runs forwards). Without a timestamp of its own
 *   it starts now, which no stored start is after: only an explicit one needs the service's start.
 */
export function serviceGuard(
  scope: JourneyScope,
  manager: EntityManager,
  service: FoundOrCreated,
  event: CompositeEventDto,
  now: number,
): (child: 'state' | 'task') => () => Promise<void> {
  let locked: Promise<void> | undefined;
  const lock = () =>
    (locked ??= service.created
      ? Promise.resolve()
      : scope.touchService(manager, service.id, now).then((active) => {
          if (!active) throw new RetryableTransactionError(`service ${service.id} was completed`);
        }));
  let serviceStart: Promise<number> | undefined;
  return (child) => async () => {
    await lock();
    const own = event[child]!;
    if (own.timestamp === undefined) return;
    serviceStart ??= service.created
      ? Promise.resolve(eventTime(event.service, now))
      : scope.serviceStartedAt(manager, service.id);
    try {
      requireNotBefore(eventTime(own, now), await serviceStart, "the service's start");
    } catch (error) {
      throw error instanceof ApiException ? error.within(child) : error;
    }
  };
}
