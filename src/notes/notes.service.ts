import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NotFoundApiException } from '../errors/api-exceptions';
import { JourneyScope } from '../journey/journey-scope';
import { pageOf } from '../reads/dto/read-query.dto';
import { TenantContext } from '../tenancy/tenant-context';
import { NoteCreateDto } from './dto/note-create.dto';
import { NoteListQueryDto } from './dto/note-list-query.dto';
import { NoteResponseDto } from './dto/note-response.dto';
import { NoteEntity } from './note.entity';
import { NotesRepository } from './notes.repository';

const noteJson = (note: NoteEntity): NoteResponseDto => ({
  note_id: Number(note.id),
  service_id: Number(note.serviceId),
  text: note.text,
  ...(note.author === null ? {} : { author: note.author }),
  created_at: new Date(Number(note.createdAt)).toISOString(),
});

/**
 * The notes of a service (docs/API.md §4.5): added to and read from a live service of the tenant (404
 * otherwise), completed or not. Adding locks the service row first (JourneyScope.lockLiveService), so a
 * note racing the service's deletion answers 404 and is never left behind.
 */
@Injectable()
export class NotesService {
  constructor(
    private readonly scope: JourneyScope,
    private readonly repository: NotesRepository,
  ) {}

  async add(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    body: NoteCreateDto,
    now: number,
  ): Promise<number> {
    await this.scope.lockLiveService(manager, tenant, serviceId);
    return this.repository.insert(manager, {
      tenantId: tenant.tenantId,
      serviceId,
      text: body.text,
      author: body.author ?? null,
      createdAt: now,
    });
  }

  async get(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    id: number,
  ): Promise<NoteResponseDto> {
    await this.scope.requireLiveService(manager, tenant, serviceId);
    const note = await this.repository.findInService(manager, serviceId, id);
    if (!note) throw new NotFoundApiException(`note ${id} is not a note of service ${serviceId}`);
    return noteJson(note);
  }

  async list(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    query: NoteListQueryDto,
  ): Promise<NoteResponseDto[]> {
    await this.scope.requireLiveService(manager, tenant, serviceId);
    const notes = await this.repository.list(manager, serviceId, pageOf(query));
    return notes.map(noteJson);
  }
}
