import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import {
  endEvent,
  eventFields,
  FUZZ_RUNS,
  FUZZ_SEED,
  fuzzBodies,
  serviceEventFields,
  text,
  typeValue,
  validComposite,
  withExtensions,
} from '../../test/support/fuzz';
import { dtoValues, requestDtos } from '../../test/support/request-dtos';
import { CompositeStartRequestDto } from '../composite/dto/composite-start-request.dto';
import { ImportedServiceDto } from '../imports/dto/imported-service.dto';
import { ServiceEndEventDto } from '../services/dto/service-end-event.dto';
import { ServiceStartEventDto } from '../services/dto/service-start-event.dto';
import { StateStartEventDto } from '../states/dto/state-start-event.dto';
import { plainView, screenJson } from './json-screen';
import { provenValid } from './proven-valid';

type Dto = new () => object;

/** class-validator's own verdict, with the options of RequestValidationPipe. */
const classValidatorAccepts = (dto: object) =>
  validateSync(dto, { forbidUnknownValues: false, stopAtFirstError: true }).length === 0;

/** Runs generated bodies through both as the pipe does (JSON, screening, class-transformer); counts verdicts. */
function compare(type: Dto, bodies: fc.Arbitrary<{ text: string }>) {
  const verdicts = { proven: 0, refused: 0 };
  fc.assert(
    fc.property(bodies, ({ text }) => {
      let plain: unknown;
      try {
        plain = JSON.parse(text);
      } catch {
        return;
      }
      if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) return;
      // What the pipe screens out before class-transformer never reaches either validation.
      const screening = screenJson(plain, 32);
      if (screening.problem) return;
      const dto: object = plainToInstance(type, plainView(plain, screening));
      const proven = provenValid(dto);
      // Proven valid means class-validator accepts; anything it accepts is proven (else no gain).
      expect(proven).toBe(classValidatorAccepts(dto));
      verdicts[proven ? 'proven' : 'refused'] += 1;
    }),
    { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
  );
  return verdicts;
}

describe('provenValid', () => {
  it('agrees with class-validator on generated composite start bodies, valid and hostile', () => {
    const verdicts = compare(CompositeStartRequestDto, fuzzBodies(validComposite));
    expect(verdicts.proven).toBeGreaterThan(FUZZ_RUNS / 20);
    expect(verdicts.refused).toBeGreaterThan(FUZZ_RUNS / 4);
  });

  const serviceStart = withExtensions(
    fc.record(
      { customer_id: text(64), service_type: typeValue, ...serviceEventFields },
      { requiredKeys: ['customer_id'] },
    ),
  );
  const stateStart = withExtensions(
    fc.record({ state_type: typeValue, ...eventFields }, { requiredKeys: ['state_type'] }),
  );

  it.each<[string, Dto, fc.Arbitrary<unknown>]>([
    ['service start', ServiceStartEventDto, serviceStart],
    ['service end', ServiceEndEventDto, endEvent],
    ['state start', StateStartEventDto, stateStart],
  ])('agrees with class-validator on generated %s bodies', (_, type, valid) => {
    const verdicts = compare(type, fuzzBodies(valid));
    expect(verdicts.proven).toBeGreaterThan(0);
    expect(verdicts.refused).toBeGreaterThan(0);
  });

  // Every DTO that reaches the pipe, found from the controllers' decorators: a new operation's body or query
  // is held to the same verdict without being listed here.
  const everyDto = requestDtos();

  it('finds every body and query DTO of the controllers', () => {
    const names = everyDto.map((type) => type.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'CompositeStartRequestDto',
        'ServiceStartEventDto',
        'StateTransitionDto',
        'TaskStartEventDto',
        'ServiceQueryDto',
        'ServiceStatsQueryDto',
      ]),
    );
    expect(names.length).toBeGreaterThanOrEqual(15);
  });

  it.each(everyDto.map((type) => [type.name, type] as const))(
    'agrees with class-validator on %s, generated from its OpenAPI description',
    (_, type) => {
      const bodies = dtoValues(type).map((value) => ({ text: JSON.stringify(value) }));
      const verdicts = compare(type, bodies);
      expect(verdicts.proven).toBeGreaterThan(0);
      expect(verdicts.refused).toBeGreaterThan(0);
    },
  );

  // Not a controller's parameter: ImportsService hands each service of an import to the pipe itself.
  it('agrees with class-validator on ImportedServiceDto, generated from its OpenAPI description', () => {
    const bodies = dtoValues(ImportedServiceDto).map((value) => ({ text: JSON.stringify(value) }));
    const verdicts = compare(ImportedServiceDto, bodies);
    expect(verdicts.proven).toBeGreaterThan(0);
    expect(verdicts.refused).toBeGreaterThan(0);
  });

  it('proves the bench body and refuses its broken twins', () => {
    const event = {
      service: {
        customer_id: 'c-1',
        service_type: 'Sales',
        media_type: 'voice',
        Offers: [{ a: 1 }],
      },
      state: { state_type: 'Identify', Feedback: { rating: 7 } },
      task: { task_type: 'Verify' },
      associate_state_task: true,
    };
    const dto = (body: unknown) => plainToInstance(CompositeStartRequestDto, body);
    expect(provenValid(dto({ services: [event] }))).toBe(true);
    for (const broken of [
      { services: [{ ...event, state: {} }] },
      { services: [{ ...event, service: { ...event.service, customer_id: 7.5 } }] },
      { services: 'x' },
      { services: [null] },
      {},
    ]) {
      expect(provenValid(dto(broken))).toBe(false);
      expect(classValidatorAccepts(dto(broken))).toBe(false);
    }
  });
});
