import { Logger, NotFoundException } from '@nestjs/common';
import { ValidationException } from './api-exceptions';
import { toErrorEnvelope } from './error-envelope';

const REQUEST_ID = 'req-42';

const validation = new ValidationException([
  { path: 'services[0].state.state_type', problem: 'is required' },
  { path: 'services[1].service.service_type', problem: 'must be a string or an integer' },
]);
const refused = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:3306'), {
  code: 'ECONNREFUSED',
  errno: -111,
});
const unexpected = new Error('SELECT * FROM secret');
const parentGone = Object.assign(new Error('Cannot add or update a child row: fk_states_service'), {
  errno: 1452,
});
const parentGoneEmbedded = new Error('FOREIGN KEY constraint failed');

describe('toErrorEnvelope', () => {
  let logged: jest.SpyInstance[];

  beforeEach(() => {
    logged = [
      jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined),
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined),
    ];
  });

  afterEach(() => jest.restoreAllMocks());

  it.each<[string, unknown, number, string, string]>([
    ['a ValidationException', validation, 400, 'Bad Request', 'ValidationException'],
    ['a Nest NotFoundException', new NotFoundException(), 404, 'Not Found', 'NotFoundException'],
    ['an unreachable database', refused, 503, 'Service Unavailable', 'ServiceUnavailableException'],
    ['a parent deleted meanwhile (MariaDB)', parentGone, 404, 'Not Found', 'NotFoundException'],
    [
      'a parent deleted meanwhile (embedded)',
      parentGoneEmbedded,
      404,
      'Not Found',
      'NotFoundException',
    ],
    [
      'an unexpected error',
      unexpected,
      500,
      'Internal Server Error',
      'InternalServerErrorException',
    ],
  ])('answers %s with %i', (_, error, statusCode, reason, exception) => {
    expect(toErrorEnvelope(error, REQUEST_ID)).toMatchObject({
      statusCode,
      error: reason,
      exception,
      request_id: REQUEST_ID,
    });
  });

  it('keeps the details and message of a ValidationException', () => {
    const body = toErrorEnvelope(validation, REQUEST_ID);
    expect(body.details).toEqual(validation.details);
    expect(body.message).toBe('services[0].state.state_type is required (and 1 more problem)');
  });

  it('keeps the message of a Nest HttpException', () => {
    expect(toErrorEnvelope(new NotFoundException('no service 7'), REQUEST_ID).message).toBe(
      'no service 7',
    );
  });

  it('tells nothing about the database it could not reach', () => {
    const body = toErrorEnvelope(refused, REQUEST_ID);
    expect(body.message).not.toContain('10.1.2.3');
    expect(body.details).toBeUndefined();
  });

  it('tells nothing internal about an unexpected error, but logs it in full', () => {
    const body = toErrorEnvelope(unexpected, REQUEST_ID);
    expect(body.message).not.toMatch(/SELECT|secret/);
    expect(body.details).toBeUndefined();
    const [error] = logged;
    expect(error).toHaveBeenCalledWith(
      expect.stringContaining(REQUEST_ID),
      expect.stringContaining('SELECT * FROM secret'),
    );
  });
});
