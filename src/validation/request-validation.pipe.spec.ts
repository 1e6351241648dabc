import { BusinessAttributesService } from '../business-attributes/business-attributes.service';
import { AppConfig } from '../config/app-config';
import {
  CompositeEventDto,
  CompositeServiceEventDto,
  CompositeStartRequestDto,
} from '../composite/dto/composite-start-request.dto';
import { ValidationException } from '../errors/api-exceptions';
import { ErrorDetailDto } from '../errors/error-response.dto';
import { StateStartEventDto } from '../states/dto/state-start-event.dto';
import { TaskStartEventDto } from '../tasks/dto/task-start-event.dto';
import { TextField } from './field.decorators';
import { RequestValidationPipe } from './request-validation.pipe';

const config = {
  EXTENSION_MAX_BYTES: 100,
  EXTENSION_MAX_DEPTH: 3,
  businessAttributes: undefined,
} as AppConfig;
const pipe = new RequestValidationPipe(config, new BusinessAttributesService(config));

function validate(body: unknown): CompositeStartRequestDto {
  return pipe.transform(body, {
    type: 'body',
    metatype: CompositeStartRequestDto,
  }) as CompositeStartRequestDto;
}

/** The details of the ValidationException the body is refused with. */
function problemsOf(body: unknown): ErrorDetailDto[] {
  try {
    validate(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationException);
    return (error as ValidationException).details ?? [];
  }
  throw new Error('the body was accepted');
}

const pathsOf = (body: unknown) => problemsOf(body).map((detail) => detail.path);

interface EventPatch {
  service?: object;
  state?: object;
  task?: object;
  associate_state_task?: unknown;
}

/** A valid composite event, with fields added or overridden. */
function event({ service, state, task, ...rest }: EventPatch = {}) {
  return {
    service: { customer_id: 'cust-1', service_type: 1, media_type: 7, ...service },
    state: { state_type: 2, ...state },
    task: { task_type: 3, ...task },
    ...rest,
  };
}

const body = (...events: object[]) => ({ services: events });

describe('RequestValidationPipe', () => {
  it('turns a valid composite start into DTO instances with type fields as strings', () => {
    const dto = validate(body(event()));
    expect(dto).toBeInstanceOf(CompositeStartRequestDto);
    const [first] = dto.services;
    expect(first).toBeInstanceOf(CompositeEventDto);
    expect(first.service).toBeInstanceOf(CompositeServiceEventDto);
    expect(first.state).toBeInstanceOf(StateStartEventDto);
    expect(first.task).toBeInstanceOf(TaskStartEventDto);
    expect(first.service).toMatchObject({ service_type: '1', media_type: '7' });
    expect(first.state.state_type).toBe('2');
    expect(first.task?.task_type).toBe('3');
  });

  it('keeps extensions within the limits', () => {
    const offers = [{ offer_name: 'VIP' }];
    const feedback = { a: { b: { c: 1 } } };
    const dto = validate(
      body(event({ service: { RelatedOffers: offers }, state: { Feedback: feedback } })),
    );
    expect(dto.services[0].service).toMatchObject({ RelatedOffers: offers });
    expect(dto.services[0].state).toMatchObject({ Feedback: feedback });
  });

  it.each([
    ['true', true],
    ['false', false],
    [true, true],
    [false, false],
  ])('reads associate_state_task %j as %s', (raw, value) => {
    const dto = validate(body(event({ associate_state_task: raw })));
    expect(dto.services[0].associate_state_task).toBe(value);
  });

  it('refuses an invalid event with the path of the field', () => {
    const problems = problemsOf(body(event(), event({ state: { state_type: 1.5 } })));
    expect(problems).toEqual([
      { path: 'services[1].state.state_type', problem: 'must be a string or an integer' },
    ]);
  });

  it('reports every problem at once', () => {
    const paths = pathsOf(
      body(
        { service: { service_type: 'S' }, state: {} },
        event({ task: { state_id: 0 }, associate_state_task: 'yes' }),
      ),
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'services[0].service.customer_id',
        'services[0].state.state_type',
        'services[1].task.state_id',
        'services[1].associate_state_task',
      ]),
    );
  });

  it.each([
    ['an empty list', { services: [] }, 'services'],
    ['a missing list', {}, 'services'],
    ['a missing state', body({ service: event().service }), 'services[0].state'],
    ['a service that is an array', body({ ...event(), service: ['x'] }), 'services[0].service'],
    ['a task that is a string', body({ ...event(), task: 'x' }), 'services[0].task'],
  ])('refuses %s', (_, invalid, path) => {
    expect(pathsOf(invalid)).toContain(path);
  });

  it('refuses a bad extension name', () => {
    expect(problemsOf(body(event({ service: { 'bad-name': 1 } })))).toEqual([
      { path: 'services[0].service.bad-name', problem: expect.stringMatching(/extension name/) },
    ]);
  });

  it.each([
    ['over 100 bytes as JSON', 'x'.repeat(99), /101 bytes/],
    ['nested 4 levels deep', { a: { b: { c: {} } } }, /nested 4 levels deep/],
  ])('refuses an extension %s', (_, value, problem) => {
    expect(problemsOf(body(event({ task: { Ext: value } })))).toEqual([
      { path: 'services[0].task.Ext', problem: expect.stringMatching(problem) },
    ]);
  });

  it('refuses absurdly deep nesting before walking it recursively', () => {
    let deep: object = {};
    for (let level = 0; level < 100_000; level++) deep = { a: deep };
    const [problem] = problemsOf(body(event({ state: { Deep: deep } })));
    expect(problem.problem).toMatch(/nested more than 7 levels deep/);
  });

  it.each([
    ['at the top', '{"__proto__": {}, "services": []}', '__proto__'],
    ['in an event', '{"services": [{"__proto__": {"x": 1}}]}', 'services[0].__proto__'],
    [
      'inside an extension value',
      '{"services": [{"state": {"state_type": "s", "Ext": [{"__proto__": 1}]}}]}',
      'services[0].state.Ext[0].__proto__',
    ],
  ])('refuses a __proto__ key %s', (_, json, path) => {
    expect(pathsOf(JSON.parse(json))).toEqual([path]);
  });

  it.each([
    ['on a composite event', body({ ...event(), oops: 1 }), 'services[0].oops'],
    ['at the top', { ...body(event()), oops: 1 }, 'oops'],
    [
      'misspelling associate_state_task',
      body({ ...event(), assocate_state_task: true }),
      'services[0].assocate_state_task',
    ],
  ])('refuses an unknown key %s', (_, invalid, path) => {
    expect(problemsOf(invalid)).toEqual([{ path, problem: 'is not a known field' }]);
  });

  it('lets a query string carry parameters it does not declare', () => {
    class Query {
      @TextField(10)
      name?: string;
    }
    const query = pipe.transform({ name: 'x', utm: 'y' }, { type: 'query', metatype: Query });
    expect(query).toBeInstanceOf(Query);
    expect(query).toEqual({ name: 'x', utm: 'y' });
  });

  it.each([null, [], 42, 'text'])('refuses the non-object body %j', (value) => {
    expect(problemsOf(value)).toEqual([{ path: 'body', problem: 'must be a JSON object' }]);
  });

  it('leaves route parameters and primitive types alone', () => {
    expect(pipe.transform('7', { type: 'param', metatype: Number })).toBe('7');
    expect(pipe.transform(null, { type: 'body', metatype: Object })).toBeNull();
  });
});
