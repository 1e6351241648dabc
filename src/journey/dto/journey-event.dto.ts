import { BusinessAttributeField } from '../../business-attributes/business-attribute.decorator';
import { TextField, TypeField } from '../../validation/field.decorators';
import { EventFieldsDto } from './event-fields.dto';

/**
 * What every start and end body of a service, state or task carries (docs/API.md §2.1, §2.5): the event
 * fields, a disposition, and extensions. A start's disposition is stored; an end's replaces it.
 */
export class JourneyEventDto extends EventFieldsDto {
  @TypeField({ example: 'resolved' })
  @BusinessAttributeField('disposition')
  disposition?: string;

  @TextField(64, { freeText: true, example: 'Customer satisfied' })
  disposition_desc?: string;
}

/**
 * Body of a completion (docs/API.md §2.5). Extensions named here replace the object's extensions of that
 * name. Each level's own end body adds the fields of its start, which Genesys clients send again.
 */
export class EndEventDto extends JourneyEventDto {}
