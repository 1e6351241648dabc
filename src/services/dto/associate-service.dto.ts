import { BusinessAttributeField } from '../../business-attributes/business-attribute.decorator';
import { ExtensibleDto } from '../../validation/extensions';
import { CountField, TextField, TypeField } from '../../validation/field.decorators';
import { Expiring, MAX_SECONDS } from './expiring.mixin';

/**
 * Optional body of an association with a customer: service start fields to update and extensions to
 * replace. The event fields of the service's start are history and stay as they were.
 */
export class AssociateServiceDto extends Expiring(ExtensibleDto) {
  @TypeField({ example: 'MyService1' })
  @BusinessAttributeField('Service.type')
  service_type?: string;

  @TextField(128, { example: '+33123456789' })
  contact_key?: string;

  @CountField({ description: 'Expected duration in seconds' })
  est_duration?: number;

  @CountField({
    max: MAX_SECONDS,
    description: 'Seconds of inactivity after which the service completes itself',
  })
  auto_complete_after?: number;
}
