import { BusinessAttributeField } from '../../business-attributes/business-attribute.decorator';
import { TextField, TypeField } from '../../validation/field.decorators';
import { EventFieldsDto } from './event-fields.dto';

/** Body of a completion (docs/API.md §2.5). Extensions named here replace the object's extensions of that name. */
export class EndEventDto extends EventFieldsDto {
  @TypeField({ example: 'resolved' })
  @BusinessAttributeField('*.disposition')
  disposition?: string;

  @TextField(64, { example: 'Customer satisfied' })
  disposition_desc?: string;
}
