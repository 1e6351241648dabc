import { EntityManager } from 'typeorm';
import { ConflictApiException, NotFoundApiException } from '../errors/api-exceptions';
import { Extensions, extensionsOf } from '../validation/extensions';
import { ExtensionsPolicy } from '../validation/extensions.policy';
import { EndEventDto } from './dto/journey-event.dto';
import { CompletionColumns, completionColumns } from './tracked-object.columns';
import { TrackedObjectEntity } from './tracked-object.entity';
import { TrackedObjectsRepository } from './tracked-objects.repository';

/**
 * Completes one service, state or task with an end event (docs/API.md §2.5, §6.1): 409 when it was already
 * completed (the first completion stands); extensions named in the event replace the object's. Returns what
 * was set, for the cascade to its children.
 */
export async function completeWithEvent<T extends TrackedObjectEntity>(
  repository: TrackedObjectsRepository<T>,
  policy: ExtensionsPolicy,
  manager: EntityManager,
  kind: string,
  id: number,
  event: EndEventDto,
  now: number,
): Promise<CompletionColumns> {
  const columns = completionColumns(event, now);
  if (!(await repository.complete(manager, id, columns))) {
    throw new ConflictApiException(`${kind} ${id} is already completed`);
  }
  const extensions = extensionsOf(event);
  if (Object.keys(extensions).length > 0) {
    await repository.updateExtensions(manager, id, (current) =>
      policy.replaceAll(current, extensions),
    );
  }
  return columns;
}

/** Applies an extension change to one object, 404 when it does not exist. */
export async function changeExtensions<T extends TrackedObjectEntity>(
  repository: TrackedObjectsRepository<T>,
  manager: EntityManager,
  kind: 'service' | 'state' | 'task',
  id: number,
  change: (current: Extensions) => Extensions,
): Promise<void> {
  if (!(await repository.updateExtensions(manager, id, change))) {
    throw new NotFoundApiException(`${kind} ${id} not found`, { notFound: kind, id });
  }
}
