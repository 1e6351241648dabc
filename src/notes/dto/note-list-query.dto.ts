import { Paged } from '../../reads/dto/read-query.dto';

/** `limit` and `offset` of a service's notes (docs/API.md §4.4). */
export class NoteListQueryDto extends Paged(class {}) {}
