import { Expiring } from './expiring.mixin';

class NoFields {}

/** Body of `PUT /services/{id}`: when the service expires. */
export class ServiceExpirationDto extends Expiring(NoFields) {}
