import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { insertReturningId } from '../database/insert-returning-id';
import { Page } from '../journey/status';
import { NoteEntity } from './note.entity';

export type NewNote = Omit<NoteEntity, 'id'>;

/** The SQL of notes: an insert, one by id within its service, and a service's notes oldest first. */
@Injectable()
export class NotesRepository {
  insert(manager: EntityManager, note: NewNote): Promise<number> {
    return insertReturningId(manager, NoteEntity, note);
  }

  findInService(manager: EntityManager, serviceId: number, id: number): Promise<NoteEntity | null> {
    return manager.findOne(NoteEntity, { where: { id, serviceId } });
  }

  list(manager: EntityManager, serviceId: number, page: Page): Promise<NoteEntity[]> {
    return manager.find(NoteEntity, {
      where: { serviceId },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }
}
