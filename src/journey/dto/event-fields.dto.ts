import { BusinessAttributeField } from '../../business-attributes/business-attribute.decorator';
import {
  CountField,
  CodeField,
  TimestampField,
  TypeField,
} from '../../validation/field.decorators';
import { ExtensibleDto } from '../../validation/extensions';

/** The event fields every start and end event may carry (docs/API.md §2.1), plus extensions. */
export class EventFieldsDto extends ExtensibleDto {
  @CodeField(32, { example: 'S-9f1c' })
  session_id?: string;

  @CodeField(50, { example: '123ABCAADFJ1259ACF' })
  interaction_id?: string;

  @TypeField({ example: 'App_type_1' })
  @BusinessAttributeField('application_type')
  application_type?: string;

  @CountField({ max: Number.MAX_SAFE_INTEGER, example: 40 })
  application_id?: number;

  @TypeField({ example: 'ResType1' })
  @BusinessAttributeField('resource_type')
  resource_type?: string;

  @CountField({ max: Number.MAX_SAFE_INTEGER, example: 1183 })
  resource_id?: number;

  @TypeField({ example: 'voice' })
  @BusinessAttributeField('media_type')
  media_type?: string;

  @TimestampField({ description: 'When the event happened (UTC); absent means now' })
  timestamp?: string;
}

/** Just the event fields of a body (without its other fields and extensions). */
export function eventFieldsOf(body: EventFieldsDto): EventFieldsDto {
  const { session_id, interaction_id, application_type, application_id } = body;
  const { resource_type, resource_id, media_type, timestamp } = body;
  return Object.assign(new EventFieldsDto(), {
    session_id,
    interaction_id,
    application_type,
    application_id,
    resource_type,
    resource_id,
    media_type,
    timestamp,
  });
}
