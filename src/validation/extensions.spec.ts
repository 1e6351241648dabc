import { plainToInstance } from 'class-transformer';
import { StateStartEventDto } from '../states/dto/state-start-event.dto';
import { extensionNameProblem, extensionsOf, extensionValueProblem } from './extensions';

describe('extensionsOf', () => {
  it('returns only the keys the DTO does not declare, inherited fields included', () => {
    const dto = plainToInstance(StateStartEventDto, {
      state_type: 'S',
      est_duration: 5,
      media_type: 'voice',
      Feedback: { rating: 7 },
      Notes: ['a'],
      Nothing: undefined,
    });
    expect(extensionsOf(dto)).toEqual({ Feedback: { rating: 7 }, Notes: ['a'] });
  });

  it('returns nothing for a body without extensions', () => {
    expect(extensionsOf(plainToInstance(StateStartEventDto, { state_type: 'S' }))).toEqual({});
  });
});

describe('extensionNameProblem', () => {
  it.each(['A', 'Feedback_2', `x${'y'.repeat(63)}`])('accepts %s', (name) => {
    expect(extensionNameProblem(name)).toBeUndefined();
  });

  it.each(['', '2fast', '_x', 'bad-name', 'é', `x${'y'.repeat(64)}`])('refuses %j', (name) => {
    expect(extensionNameProblem(name)).toBeDefined();
  });
});

describe('extensionValueProblem', () => {
  const limits = { maxBytes: 10, maxDepth: 2, maxTotalBytes: 100, maxCount: 5 };

  it.each([['12345678'], [[[1]]], [{ a: {} }], [null]])('accepts %j', (value) => {
    expect(extensionValueProblem(value, limits)).toBeUndefined();
  });

  it.each([['123456789'], [[[[]]]], [{ a: { b: {} } }]])('refuses %j', (value) => {
    expect(extensionValueProblem(value, limits)).toBeDefined();
  });
});
