import { TextField } from '../../validation/field.decorators';

/** Body of `POST /services/{service_id}/notes`. */
export class NoteCreateDto {
  @TextField(2000, {
    required: true,
    freeText: true,
    example: 'Asked to be called back after 6 pm',
  })
  text: string;

  @TextField(64, { description: 'Who wrote it, as the client names them', example: 'agent-1183' })
  author?: string;
}
