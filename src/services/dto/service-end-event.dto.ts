import { EndEventDto } from '../../journey/dto/end-event.dto';
import { Expiring } from './expiring.mixin';

/** Body of a service completion: an end event that may also set when the service expires. */
export class ServiceEndEventDto extends Expiring(EndEventDto) {}
